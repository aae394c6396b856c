import { prepareTransaction } from '../rollup-accumulator';
import type { RetentionPolicy, TelemetryStore } from '../telemetry-store';
import { MAX_TRACE_TRANSACTIONS } from '../trace-shaping';
import { HitmapQueries } from './telemetry-hitmap';
import { TransactionQueries } from './telemetry-queries';
import { openTelemetryDb } from './telemetry-schema';
import { SeriesQueries } from './telemetry-series';
import { TxidIndex } from './telemetry-txid-index';
import { ThreadWriter } from './telemetry-writer-client';
import { inlineWriter, type PortOptions, type WriterPort } from './telemetry-writer-port';

export interface SqliteTelemetryOptions extends PortOptions {
  /** synchronous=FULL: durable against power loss too (slower commits). */
  fullSync?: boolean;
  /** Write on the calling thread instead of the writer thread (tools, debugging). */
  inlineWriter?: boolean;
  /** Problems of the background threads; the store keeps working (default: stderr). */
  onError?: (message: string) => void;
}

/** The SQLite store, with what is particular to it. */
export interface SqliteTelemetryStore extends TelemetryStore {
  /**
   * Folds completed minutes into the hourly, daily and 10-minute roll-ups now, up to `now`
   * minus a grace of two minutes (the writer thread also does it every `compactEveryMs`).
   */
  compactRollups(now?: number): Promise<void>;
}

/**
 * The embedded telemetry store (better-sqlite3, WAL) in one file plus its txid map.
 * Writes go to the writer thread, which group-commits them (TelemetryWriter) and keeps the
 * coarse roll-ups up to date (RollupCompactor); reads run here on their own connection and
 * see every acknowledged write.
 */
export function openSqliteTelemetryStore(file: string, opts: SqliteTelemetryOptions = {}): SqliteTelemetryStore {
  if (file === ':memory:') throw new Error('the SQLite telemetry store needs a file path (its threads share it)');
  const onError = opts.onError ?? ((m: string) => console.error(`tapscope: telemetry store: ${m}`));
  const db = openTelemetryDb(file, opts);
  const writerOptions = { flushDelayMs: opts.flushDelayMs, flushRows: opts.flushRows, compactEveryMs: opts.compactEveryMs };
  let writer: WriterPort = opts.inlineWriter
    ? inlineWriter(db, writerOptions)
    : new ThreadWriter(
        { file, fullSync: opts.fullSync, writer: writerOptions },
        {
          onError,
          onUnavailable: () => {
            onError('the writer thread cannot start; writing on the main thread instead');
            writer = inlineWriter(db, writerOptions);
          },
        },
      );
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM tx').pluck().get() as number;
  const txids = new TxidIndex(file, maxId, { onError });
  const txq = new TransactionQueries(db, txids);
  const hitmaps = new HitmapQueries(db);
  const series = new SeriesQueries(db);
  let closed = false;

  return {
    writeTransactions: (txs) => writer.write(txs.map(prepareTransaction), []),
    writeCounters: async (counters) => {
      await writer.write([], counters);
    },
    hitmap: async (pcode, q) => hitmaps.points(pcode, q),
    hitmapEncoded: async (pcode, q) => hitmaps.encoded(pcode, q),
    listTransactions: async (pcode, f) => txq.list(pcode, f),
    getProfile: async (pcode, txid) => txq.getProfile(pcode, txid),
    traceTransactions: async (traceId) => txq.trace(traceId, MAX_TRACE_TRANSACTIONS),
    counters: async (pcode, from, to, agentId, step) => series.counters(pcode, from, to, agentId, step),
    stats: async (pcode, kind, from, to, agentId) => series.stats(pcode, kind, from, to, agentId),
    latestCounters: async (pcode) => series.latestCounters(pcode),
    latencyByAgent: async (pcode, from, to) => series.latencyByAgent(pcode, from, to),
    droppedByAgent: async (pcode, from, to) => series.droppedByAgent(pcode, from, to),
    backlog: () => writer.backlog,
    deleteProject: (pcode) => writer.deleteProject(pcode),
    applyRetention: (policy: RetentionPolicy, now: number) => writer.applyRetention(policy, now),
    compactRollups: (now = Date.now()) => writer.compactRollups(now),

    async close() {
      if (closed) return;
      closed = true;
      await writer.close();
      await txids.close();
      await hitmaps.close();
      db.close();
    },
  };
}
