import type Database from 'better-sqlite3';
import {
  COUNTER_COLUMNS,
  COUNTER_LEVELS,
  COUNTER_UPSERT_SET,
  type Level,
  STAT_AGENT_LEVELS,
  STAT_LEVELS,
  STAT_UPSERT_SET,
} from './telemetry-levels';

/** Statistics of one key over some minutes of one period, as the coarse tables add them. */
export interface StatAddition {
  pcode: string;
  kind: number;
  /** Any time inside the period (the minute, or the period start). */
  at: number;
  key: string;
  count: number;
  errors: number;
  sum: number;
  min: number;
  max: number;
  sql_time: number;
  httpc_time: number;
  hist: Uint8Array;
  message: string | null;
  url: string | null;
  last_seen: number | null;
  example_txid: string | null;
}

/** Counter sums of one agent over some minutes, in COUNTER_COLUMNS order. */
export type CounterValues = readonly number[];

/**
 * Adds rows into the coarse tables (upserts: a period may be added to many times). Runs inside
 * the caller's SQLite transaction: the compactor's, or the writer's for late minutes.
 */
export class CoarseWriter {
  private readonly stats: Array<{ level: Level; stmt: Database.Statement }>;
  private readonly agentStats: Array<{ level: Level; stmt: Database.Statement }>;
  private readonly counters: Array<{ level: Level; stmt: Database.Statement }>;

  constructor(db: Database.Database) {
    this.stats = STAT_LEVELS.map((level) => ({
      level,
      stmt: db.prepare(`
        INSERT INTO ${level.table} (pcode, kind, period, key, count, errors, sum, min, max, sql_time, httpc_time, hist,
          message, url, last_seen, example_txid)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (pcode, kind, period, key) DO UPDATE SET ${STAT_UPSERT_SET}`),
    }));
    this.agentStats = STAT_AGENT_LEVELS.map((level) => ({
      level,
      stmt: db.prepare(`
        INSERT INTO ${level.table} (pcode, kind, period, key, count, errors, sum, min, max, sql_time, httpc_time, hist,
          message, url, last_seen, example_txid, agent_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (pcode, kind, agent_id, period, key) DO UPDATE SET ${STAT_UPSERT_SET}`),
    }));
    const values = COUNTER_COLUMNS.split(', ').map(() => '?').join(', ');
    this.counters = COUNTER_LEVELS.map((level) => ({
      level,
      stmt: db.prepare(`
        INSERT INTO ${level.table} (pcode, period, agent_id, ${COUNTER_COLUMNS}) VALUES (?, ?, ?, ${values})
        ON CONFLICT (pcode, period, agent_id) DO UPDATE SET ${COUNTER_UPSERT_SET}`),
    }));
  }

  /** Adds into the all-agent statistics levels. */
  addStat(r: StatAddition): void {
    for (const { level, stmt } of this.stats) {
      stmt.run(
        r.pcode, r.kind, r.at - (r.at % level.width), r.key, r.count, r.errors, r.sum, r.min, r.max, r.sql_time,
        r.httpc_time, r.hist, r.message, r.url, r.last_seen, r.example_txid,
      );
    }
  }

  /** Adds one agent's statistics into the per-agent levels. */
  addAgentStat(r: StatAddition & { agent_id: number }): void {
    for (const { level, stmt } of this.agentStats) {
      stmt.run(
        r.pcode, r.kind, r.at - (r.at % level.width), r.key, r.count, r.errors, r.sum, r.min, r.max, r.sql_time,
        r.httpc_time, r.hist, r.message, r.url, r.last_seen, r.example_txid, r.agent_id,
      );
    }
  }

  addCounter(pcode: string, minute: number, agentId: number, values: CounterValues): void {
    for (const { level, stmt } of this.counters) stmt.run(pcode, minute - (minute % level.width), agentId, ...values);
  }
}
