import type Database from 'better-sqlite3';
import type { Step, TransactionProfile, TransactionSummary } from '../../../src/api/transactions';
import type { TransactionFilter } from '../telemetry-store';
import type { TxidIndex } from './telemetry-txid-index';

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
  pcode: string;
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

  constructor(
    private readonly db: Database.Database,
    private readonly txids: TxidIndex,
  ) {
    const columns = `${SUMMARY_COLUMNS}, pcode, error_message, error_stack, client_ip, user_agent, cpu, params, steps`;
    this.profileById = db.prepare(`SELECT ${columns} FROM tx WHERE id = ?`);
    // "+": walk the rowid range above the watermark, not an index.
    this.profileTail = db.prepare(
      `SELECT ${columns} FROM tx WHERE id > ? AND +pcode = ? AND +txid = ? ORDER BY id DESC LIMIT 1`,
    );
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
      const rows = this.stmt(`SELECT ${SUMMARY_COLUMNS} FROM tx ${where} ORDER BY ${order} LIMIT ?`).all(
        pcode, f.from, f.to, ...w.args, f.limit,
      ) as TxRow[];
      const total =
        rows.length < f.limit
          ? rows.length
          : (this.stmt(`SELECT count(*) FROM tx ${where}`).pluck().get(pcode, f.from, f.to, ...w.args) as number);
      return { transactions: rows.map(toSummary), total };
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
