import type Database from 'better-sqlite3';
import type { TransactionProfile, TransactionSummary } from '../../../src/api/transactions';
import {
  toTransactionProfile,
  toTransactionSummary,
  TX_PROFILE_COLUMNS,
  TX_SUMMARY_COLUMNS,
  type TxDbRow,
  type TxProfileDbRow,
} from '../telemetry-shaping';
import type { TransactionFilter } from '../telemetry-store';
import { toTraceTransaction, TRACE_TX_COLUMNS, type TraceTxDbRow } from '../trace-shaping';
import type { TraceTransactionRecord } from '../telemetry-store';
import type { TxidIndex } from './telemetry-txid-index';

/** The profile read also returns the project, to check a row the txid map points at. */
interface ProfileRow extends TxProfileDbRow {
  pcode: string;
}

/** Builds the optional filters shared by the hitmap and the list. */
function filters(f: { agentId?: number; url?: string; error?: boolean; minElapsed?: number; maxElapsed?: number }) {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (cond: string, value: unknown) => {
    where.push(cond);
    args.push(value);
  };
  if (f.minElapsed !== undefined) add('elapsed >= ?', f.minElapsed);
  if (f.maxElapsed !== undefined) add('elapsed <= ?', f.maxElapsed);
  if (f.error !== undefined) add('err = ?', f.error ? 1 : 0);
  if (f.agentId !== undefined) add('agent_id = ?', f.agentId);
  if (f.url !== undefined) add('url = ?', f.url);
  return { sql: where.map((w) => ` AND ${w}`).join(''), args };
}

/** Transaction list and profile reads. Statements are cached per SQL text. */
export class TransactionQueries {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly profileById: Database.Statement;
  private readonly profileTail: Database.Statement;
  private readonly traceById: Database.Statement;
  private readonly traceTail: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly txids: TxidIndex,
  ) {
    const columns = `${TX_PROFILE_COLUMNS}, pcode`;
    this.profileById = db.prepare(`SELECT ${columns} FROM tx WHERE id = ?`);
    // "+": walk the rowid range above the watermark, not an index.
    this.profileTail = db.prepare(
      `SELECT ${columns} FROM tx WHERE id > ? AND +pcode = ? AND +txid = ? ORDER BY id DESC LIMIT 1`,
    );
    this.traceById = db.prepare(`SELECT ${TRACE_TX_COLUMNS} FROM tx WHERE id = ? AND trace_id = ?`);
    this.traceTail = db.prepare(`SELECT ${TRACE_TX_COLUMNS} FROM tx WHERE id > ? AND +trace_id = ? ORDER BY id LIMIT ?`);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  list(pcode: string, f: TransactionFilter): { transactions: TransactionSummary[]; total: number } {
    const w = filters(f);
    const where = `WHERE pcode = ? AND end_ms >= ? AND end_ms <= ?${w.sql}`;
    const order = f.sort === 'elapsed' ? 'elapsed DESC' : 'end_ms DESC';
    return this.db.transaction(() => {
      const rows = this.stmt(`SELECT ${TX_SUMMARY_COLUMNS} FROM tx ${where} ORDER BY ${order} LIMIT ?`).all(
        pcode, f.from, f.to, ...w.args, f.limit,
      ) as TxDbRow[];
      const total =
        rows.length < f.limit
          ? rows.length
          : (this.stmt(`SELECT count(*) FROM tx ${where}`).pluck().get(pcode, f.from, f.to, ...w.args) as number);
      return { transactions: rows.map(toTransactionSummary), total };
    })();
  }

  /** One transaction by txid: the txid map up to its watermark, a short scan above it. */
  getProfile(pcode: string, txid: string): TransactionProfile | null {
    const { id, watermark } = this.txids.lookup(pcode, txid);
    let r = this.profileTail.get(watermark, pcode, txid) as ProfileRow | undefined;
    if (!r && id !== undefined) {
      // The map may point at a row since deleted (retention, project deletion): check it.
      const byId = this.profileById.get(id) as ProfileRow | undefined;
      if (byId && byId.pcode === pcode && byId.txid === txid) r = byId;
    }
    return r ? toTransactionProfile(r) : null;
  }

  /**
   * The transactions of a trace in every project, oldest row first: the trace map up to its
   * watermark, a short scan above it (as for profiles).
   */
  trace(traceId: string, limit: number): TraceTransactionRecord[] {
    const { ids, watermark } = this.txids.traceLookup(traceId, limit);
    return this.db.transaction(() => {
      const out: TraceTransactionRecord[] = [];
      for (const id of ids) {
        // The map may point at a row since deleted: only rows that still carry the trace count.
        const r = this.traceById.get(id, traceId) as TraceTxDbRow | undefined;
        if (r) out.push(toTraceTransaction(r));
      }
      if (out.length < limit) {
        const tail = this.traceTail.all(watermark, traceId, limit - out.length) as TraceTxDbRow[];
        for (const r of tail) out.push(toTraceTransaction(r));
      }
      return out;
    })();
  }
}
