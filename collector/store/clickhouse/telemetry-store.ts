import type { TelemetryStore } from '../telemetry-store';
import { MAX_TRACE_TRANSACTIONS } from '../trace-shaping';
import { ClickHouse, parseClickHouseUrl } from './ch-client';
import { deleteProjectRows, dropExpiredPartitions } from './ch-maintenance';
import { ChTransactionQueries } from './ch-queries';
import { migrateClickHouse } from './ch-schema';
import { ChSeriesQueries } from './ch-series';
import { ClickHouseWriter, type ChWriterOptions } from './ch-writer';

export interface ClickHouseTelemetryOptions extends ChWriterOptions {
  /**
   * How long after its stamp a row of another collector may still become visible, ms: the
   * hitmap cursor stays this far behind the clock (default 2000; 0 when this is the only
   * collector writing). Must exceed insert time plus clock skew between collectors.
   */
  settleMs?: number;
}

/**
 * The ClickHouse telemetry store for scale-out: `clickhouse://user:pass@host:8123/db` or
 * `http(s)://…/db` (the database is created if missing), with optional `?flushMs=…&flushRows=…
 * &maxBufferRows=…&settleMs=…&timeoutMs=…`. Options given in code win over the URL's.
 * Keeps no state another collector would need: any number of collectors share the database.
 */
export async function openClickHouseTelemetryStore(url: string, options: ClickHouseTelemetryOptions = {}): Promise<TelemetryStore> {
  const target = parseClickHouseUrl(url);
  const opts: ClickHouseTelemetryOptions = { ...target.options, ...options };
  const ch = new ClickHouse(target);
  try {
    await migrateClickHouse(ch);
  } catch (err) {
    await ch.close().catch(() => {});
    throw err;
  }
  const writer = new ClickHouseWriter(ch, opts);
  const settleUs = (opts.settleMs ?? 2000) * 1000;
  // Below every stamp still to be assigned (-1: the next one may fall in this very µs) and every insert in flight.
  const horizon = () => Math.min(Date.now() * 1000 - settleUs - 1, writer.visibleBelow - 1);
  const txq = new ChTransactionQueries(ch, horizon);
  const series = new ChSeriesQueries(ch);
  let closing: Promise<void> | undefined;

  return {
    writeTransactions: (txs) => writer.write(txs, []),
    writeCounters: async (counters) => {
      await writer.write([], counters);
    },
    hitmap: (pcode, q) => txq.hitmap(pcode, q),
    hitmapEncoded: (pcode, q) => txq.hitmapEncoded(pcode, q),
    listTransactions: (pcode, f) => txq.list(pcode, f),
    getProfile: (pcode, txid) => txq.getProfile(pcode, txid),
    traceTransactions: (traceId) => txq.trace(traceId, MAX_TRACE_TRANSACTIONS),
    counters: (pcode, from, to, agentId, step) => series.counters(pcode, from, to, agentId, step),
    stats: (pcode, kind, from, to, agentId) => series.stats(pcode, kind, from, to, agentId),
    latencyByAgent: (pcode, from, to) => series.latencyByAgent(pcode, from, to),
    droppedByAgent: (pcode, from, to) => series.droppedByAgent(pcode, from, to),
    latestCounters: (pcode) => series.latestCounters(pcode),
    backlog: () => writer.backlog,

    async deleteProject(pcode) {
      // Insert what is queued first, so no queued row of the project lands after the delete.
      await writer.drain();
      await deleteProjectRows(ch, pcode);
    },
    applyRetention: (policy, now) => dropExpiredPartitions(ch, policy, now),

    close: () =>
      (closing ??= (async () => {
        try {
          await writer.close();
        } finally {
          await ch.close();
        }
      })()),
  };
}
