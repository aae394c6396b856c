import { MINUTE, ROLLUP_KIND } from '../../rollup/accumulator';
import type { RetentionPolicy, TelemetryStore } from '../telemetry-store';
import { openTelemetryDb } from './telemetry-schema';
import { HitmapQueries } from './telemetry-hitmap';
import { TransactionQueries } from './telemetry-queries';
import { SeriesQueries } from './telemetry-series';
import { TelemetryWriter, type WriterOptions } from './telemetry-writer';
import { TxidIndex } from './telemetry-txid-index';

const DAY = 86_400_000;
/** Rows deleted per statement, so retention never holds the writer up for long. */
const DELETE_CHUNK = 5000;

export interface SqliteTelemetryOptions extends WriterOptions {
  /** synchronous=FULL: durable against power loss too (slower commits). */
  fullSync?: boolean;
  /** Errors of the background txid indexer (look-ups stay correct, only slower). */
  onIndexError?: (message: string) => void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The embedded telemetry store (better-sqlite3, WAL). Writes are group-committed
 * (see TelemetryWriter); reads run on the same connection, between commits.
 */
export function openSqliteTelemetryStore(file: string, opts: SqliteTelemetryOptions = {}): TelemetryStore {
  const db = openTelemetryDb(file, opts);
  const writer = new TelemetryWriter(db, opts);
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM tx').pluck().get() as number;
  const txids = new TxidIndex(file, maxId, { onError: opts.onIndexError });
  const txq = new TransactionQueries(db, txids);
  const hitmaps = new HitmapQueries(db);
  const series = new SeriesQueries(db);
  let closed = false;

  /** Deletes in chunks with a turn of the event loop between them; returns rows deleted. */
  async function deleteChunked(sql: string, ...args: unknown[]): Promise<number> {
    const stmt = db.prepare(sql);
    let total = 0;
    for (;;) {
      if (closed) return total;
      const n = stmt.run(...args, DELETE_CHUNK).changes;
      total += n;
      if (n < DELETE_CHUNK) return total;
      await yieldToEventLoop();
    }
  }

  const projects = () => db.prepare('SELECT pcode FROM tx_project').pluck().all() as string[];

  return {
    writeTransactions: (txs) => writer.write(txs, []),
    writeCounters: async (counters) => {
      await writer.write([], counters);
    },
    hitmap: async (pcode, q) => hitmaps.points(pcode, q),
    hitmapEncoded: async (pcode, q) => hitmaps.encoded(pcode, q),
    listTransactions: async (pcode, f) => txq.list(pcode, f),
    getProfile: async (pcode, txid) => txq.getProfile(pcode, txid),
    counters: async (pcode, from, to, agentId) => series.counters(pcode, from, to, agentId),
    stats: async (pcode, kind, from, to, agentId) => series.stats(pcode, kind, from, to, agentId),
    latestCounters: async (pcode) => series.latestCounters(pcode),
    backlog: () => writer.backlog,

    async deleteProject(pcode) {
      // Commit what is queued first, so no queued row of the project lands after the delete.
      writer.drain();
      const chunk = (table: string, key: string) =>
        deleteChunked(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE pcode = ? LIMIT ?)`, pcode);
      await chunk('tx', 'rowid');
      for (const t of ['counter', 'counter_1m', 'rollup_1m']) {
        db.prepare(`DELETE FROM ${t} WHERE pcode = ?`).run(pcode);
        await yieldToEventLoop();
      }
      db.prepare('DELETE FROM tx_project WHERE pcode = ?').run(pcode);
    },

    async applyRetention(policy: RetentionPolicy, now: number) {
      const rawBefore = now - policy.rawDays * DAY;
      const rollupBefore = Math.floor((now - policy.rollupDays * DAY) / MINUTE) * MINUTE;
      let deleted = 0;
      for (const pcode of projects()) {
        // Each delete walks a primary-key or index range of one project: no full-table scans.
        deleted += await deleteChunked(
          'DELETE FROM tx WHERE id IN (SELECT id FROM tx WHERE pcode = ? AND end_ms < ? LIMIT ?)',
          pcode, rawBefore,
        );
        deleted += await deleteChunked(
          `DELETE FROM counter WHERE (pcode, time, agent_id, pid) IN
             (SELECT pcode, time, agent_id, pid FROM counter WHERE pcode = ? AND time < ? LIMIT ?)`,
          pcode, rawBefore,
        );
        deleted += await deleteChunked(
          `DELETE FROM counter_1m WHERE (pcode, minute, agent_id) IN
             (SELECT pcode, minute, agent_id FROM counter_1m WHERE pcode = ? AND minute < ? LIMIT ?)`,
          pcode, rollupBefore,
        );
        for (const kind of Object.values(ROLLUP_KIND)) {
          deleted += await deleteChunked(
            `DELETE FROM rollup_1m WHERE (pcode, kind, minute, agent_id, key) IN
               (SELECT pcode, kind, minute, agent_id, key FROM rollup_1m
                WHERE pcode = ? AND kind = ? AND minute < ? LIMIT ?)`,
            pcode, kind, rollupBefore,
          );
        }
      }
      return { deleted };
    },

    async close() {
      if (closed) return;
      writer.close();
      closed = true;
      await txids.close();
      db.close();
    },
  };
}
