import type { HitmapPoint, HitmapQuery } from '../../../src/api/hitmap';
import type { Step, TransactionProfile, TransactionSummary } from '../../../src/api/transactions';
import type { TransactionFilter } from '../telemetry-store';
import { type ClickHouse, num, str } from './ch-client';
import { columnsToPoints, encodeColumns, type HitmapColumns, parseHitmapRows } from './ch-hitmap';

interface TxRow {
  txid: string;
  agent_id: number;
  object_name: string;
  start_ms: number;
  end_ms: number;
  elapsed: number;
  url: string;
  method: string;
  status: number;
  error_class: string | null;
  sql_count: number;
  sql_time: number;
  httpc_count: number;
  httpc_time: number;
}

interface ProfileRow extends TxRow {
  error_message: string | null;
  error_stack: string | null;
  client_ip: string;
  user_agent: string;
  cpu: number;
  params: string | null;
  steps: string;
}

const SUMMARY_COLUMNS =
  'txid, agent_id, object_name, start_ms, end_ms, elapsed, url, method, status, error_class, sql_count, sql_time, httpc_count, httpc_time';

function toSummary(r: TxRow): TransactionSummary {
  return {
    txid: r.txid,
    agentId: r.agent_id,
    objectName: r.object_name,
    start: r.start_ms,
    end: r.end_ms,
    elapsed: r.elapsed,
    url: r.url,
    method: r.method,
    status: r.status,
    error: r.error_class ?? (r.status >= 500 ? `HTTP ${r.status}` : null),
    sqlCount: r.sql_count,
    sqlTime: r.sql_time,
    httpcCount: r.httpc_count,
    httpcTime: r.httpc_time,
  };
}

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
    return { points: columnsToPoints(cols), cursor };
  }

  async hitmapEncoded(pcode: string, q: HitmapQuery): Promise<Uint8Array> {
    const { cols, cursor } = await this.hitmapColumns(pcode, q);
    return encodeColumns(cols, cursor);
  }

  async list(pcode: string, f: TransactionFilter): Promise<{ transactions: TransactionSummary[]; total: number }> {
    const where = `WHERE pcode = ${str(pcode)} AND end_ms >= ${num(f.from)} AND end_ms <= ${num(f.to)}${filters(f)}`;
    const order = f.sort === 'elapsed' ? 'elapsed DESC' : 'end_ms DESC';
    const rows = await this.ch.rows<TxRow>(`SELECT ${SUMMARY_COLUMNS} FROM tx ${where} ORDER BY ${order} LIMIT ${num(f.limit)}`);
    let total = rows.length;
    if (rows.length >= f.limit) {
      const [c] = await this.ch.rows<{ n: number }>(`SELECT count() AS n FROM tx ${where}`);
      total = c?.n ?? rows.length;
    }
    return { transactions: rows.map(toSummary), total };
  }

  /** One transaction: its end time from tx_id (ordered by txid), then the row by primary key. */
  async getProfile(pcode: string, txid: string): Promise<TransactionProfile | null> {
    const p = str(pcode);
    const t = str(txid);
    const [r] = await this.ch.rows<ProfileRow>(
      `SELECT ${SUMMARY_COLUMNS}, error_message, error_stack, client_ip, user_agent, cpu, params, steps FROM tx
       WHERE pcode = ${p} AND txid = ${t} AND end_ms IN (SELECT end_ms FROM tx_id WHERE pcode = ${p} AND txid = ${t})
       LIMIT 1`,
    );
    if (!r) return null;
    let steps: Step[] = [];
    try {
      steps = JSON.parse(r.steps) as Step[];
    } catch {
      steps = [];
    }
    return {
      transaction: {
        ...toSummary(r),
        cpu: r.cpu,
        clientIp: r.client_ip,
        userAgent: r.user_agent,
        errorMessage: r.error_message,
        errorStack: r.error_stack,
        params: r.params,
      },
      steps,
    };
  }
}
