import { encodeHitmapColumns, type HitmapPoint, type HitmapQuery } from '../../../src/api/hitmap';
import type { TransactionProfile, TransactionSummary } from '../../../src/api/transactions';
import {
  toTransactionProfile,
  toTransactionSummary,
  TX_PROFILE_COLUMNS,
  TX_SUMMARY_COLUMNS,
  type TxDbRow,
  type TxProfileDbRow,
} from '../telemetry-shaping';
import type { TraceTransactionRecord, TransactionFilter } from '../telemetry-store';
import { toTraceTransaction, TRACE_TX_COLUMNS, type TraceTxDbRow } from '../trace-shaping';
import { type ClickHouse, num, str } from './ch-client';
import { hitmapColumnsToPoints } from '../hitmap-columns';
import { type HitmapColumns, parseHitmapRows } from './ch-hitmap';

/** The optional filters shared by the hitmap and the list, as SQL. */
function filters(f: { agentId?: number; url?: string; error?: boolean; minElapsed?: number; maxElapsed?: number }): string {
  const w: string[] = [];
  if (f.minElapsed !== undefined) w.push(`elapsed >= ${num(f.minElapsed)}`);
  if (f.maxElapsed !== undefined) w.push(`elapsed <= ${num(f.maxElapsed)}`);
  if (f.error !== undefined) w.push(`err = ${f.error ? 1 : 0}`);
  if (f.agentId !== undefined) w.push(`agent_id = ${num(f.agentId)}`);
  if (f.url !== undefined) w.push(`url = ${str(f.url)}`);
  return w.map((c) => ` AND ${c}`).join('');
}

/**
 * Read queries over raw transactions.
 *
 * The hitmap cursor is an insertion stamp (epoch µs, see ClickHouseWriter): an answer holds
 * the rows whose stamp is at most a horizon `h`, and its cursor is `h`, so the next poll asks
 * for stamps above it. `h` stays behind the inserts still in flight — exactly for this
 * process, and by `settleMs` for the other collectors' — so a row never becomes visible below
 * a cursor already handed out: no point is lost or sent twice.
 */
export class ChTransactionQueries {
  constructor(
    private readonly ch: ClickHouse,
    /** The current horizon, epoch µs. */
    private readonly horizon: () => number,
  ) {}

  /** The hitmap as columns plus the cursor to pass next time. */
  async hitmapColumns(pcode: string, q: HitmapQuery): Promise<{ cols: HitmapColumns; cursor: number }> {
    const limit = Math.floor(q.limit ?? 1_000_000);
    const h = this.horizon();
    const f = filters({ agentId: q.agent, url: q.url, error: q.error === undefined ? undefined : q.error === 'true' });
    const range = `pcode = ${str(pcode)} AND end_ms >= ${num(q.from)} AND end_ms <= ${num(q.to)}${f}`;
    if (q.cursor === undefined) {
      const buf = await this.ch.rowBinary(
        `SELECT end_ms, elapsed, agent_id, err FROM tx WHERE ${range} AND stamp <= ${num(h)}
         ORDER BY end_ms DESC LIMIT ${num(limit)}`,
      );
      return { cols: parseHitmapRows(buf, false), cursor: h };
    }
    const cursor = q.cursor;
    if (h <= cursor) return { cols: parseHitmapRows(Buffer.alloc(0), false), cursor };
    // tx_hit is ordered by (pcode, stamp): a poll reads what arrived since the last one.
    const buf = await this.ch.rowBinary(
      `SELECT end_ms, elapsed, agent_id, err, stamp FROM tx_hit
       WHERE ${range} AND stamp > ${num(cursor)} AND stamp <= ${num(h)} ORDER BY stamp LIMIT ${num(limit)}`,
    );
    const cols = parseHitmapRows(buf, true);
    // A capped answer resumes after its last row; otherwise after the horizon.
    return { cols, cursor: cols.n === limit && cols.n > 0 ? cols.lastStamp : h };
  }

  async hitmap(pcode: string, q: HitmapQuery): Promise<{ points: HitmapPoint[]; cursor: number }> {
    const { cols, cursor } = await this.hitmapColumns(pcode, q);
    return { points: hitmapColumnsToPoints(cols), cursor };
  }

  async hitmapEncoded(pcode: string, q: HitmapQuery): Promise<Uint8Array> {
    const { cols, cursor } = await this.hitmapColumns(pcode, q);
    return encodeHitmapColumns(cols, cursor);
  }

  async list(pcode: string, f: TransactionFilter): Promise<{ transactions: TransactionSummary[]; total: number }> {
    const where = `WHERE pcode = ${str(pcode)} AND end_ms >= ${num(f.from)} AND end_ms <= ${num(f.to)}${filters(f)}`;
    const order = f.sort === 'elapsed' ? 'elapsed DESC' : 'end_ms DESC';
    const rows = await this.ch.rows<TxDbRow>(`SELECT ${TX_SUMMARY_COLUMNS} FROM tx ${where} ORDER BY ${order} LIMIT ${num(f.limit)}`);
    let total = rows.length;
    if (rows.length >= f.limit) {
      const [c] = await this.ch.rows<{ n: number }>(`SELECT count() AS n FROM tx ${where}`);
      total = c?.n ?? rows.length;
    }
    return { transactions: rows.map(toTransactionSummary), total };
  }

  /** One transaction: its end time from tx_id (ordered by txid), then the row by primary key. */
  async getProfile(pcode: string, txid: string): Promise<TransactionProfile | null> {
    const p = str(pcode);
    const t = str(txid);
    const [r] = await this.ch.rows<TxProfileDbRow>(
      `SELECT ${TX_PROFILE_COLUMNS} FROM tx
       WHERE pcode = ${p} AND txid = ${t} AND end_ms IN (SELECT end_ms FROM tx_id WHERE pcode = ${p} AND txid = ${t})
       LIMIT 1`,
    );
    return r ? toTransactionProfile(r) : null;
  }

  /** A trace's transactions in every project: their keys from tx_trace, then the rows by primary key. */
  async trace(traceId: string, limit: number): Promise<TraceTransactionRecord[]> {
    const t = str(traceId);
    const rows = await this.ch.rows<TraceTxDbRow>(
      `SELECT ${TRACE_TX_COLUMNS} FROM tx
       WHERE (pcode, end_ms, txid) IN (SELECT pcode, end_ms, txid FROM tx_trace WHERE trace_id = ${t}) AND trace_id = ${t}
       LIMIT 1 BY pcode, txid LIMIT ${num(limit)}`,
    );
    return rows.map(toTraceTransaction);
  }
}
