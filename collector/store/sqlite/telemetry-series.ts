import type Database from 'better-sqlite3';
import { COUNTER_SLOT_MS, type CounterPoint } from '../../../src/api/counters';
import type { StatKind, StatRow } from '../../../src/api/stats';
import type { AgentLatency } from '../telemetry-store';
import { isLaterOccurrence, MINUTE, ROLLUP_KIND } from '../rollup-accumulator';
import { addBlobToHistogram, newHistogram } from '../rollup-histogram';
import {
  type CounterDbRow,
  counterPointOf,
  counterResolution,
  type MergedStat,
  sortByCost,
  toCounterPoint,
  toStatRow,
} from '../telemetry-shaping';
import {
  COUNTER_COLUMNS,
  COUNTER_LEVELS,
  COUNTER_MINUTES,
  NO_COVERAGE,
  planRange,
  readCoverage,
  STAT_AGENT_LEVELS,
  STAT_LEVELS,
  STAT_MINUTES,
  statAggregates,
} from './telemetry-levels';

/** Raw samples of one slot summed over the agent's processes. */
const RAW_SELECT = `
  SELECT time, agent_id, 1 AS slots, sum(tps) AS tps, sum(tx_count) AS tx_count, sum(tx_error) AS tx_error,
    sum(resp_time * tx_count) AS resp_sum, sum(active0) AS a0, sum(active1) AS a1, sum(active2) AS a2,
    sum(cpu) AS cpu, sum(mem) AS mem,
    sum(CASE WHEN apdex IS NOT NULL AND tx_count > 0 THEN apdex * tx_count ELSE 0 END) AS apdex_sum,
    sum(CASE WHEN apdex IS NOT NULL AND tx_count > 0 THEN tx_count ELSE 0 END) AS apdex_weight,
    sum(dropped) AS dropped
  FROM counter`;

/** A roll-up row merged per key by SQL (statAggregates): a MergedStat, its histogram as a blob. */
type RollupRow = Omit<MergedStat, 'h'> & { hist: Buffer };

/** Counters and statistics: raw samples for short ranges, roll-ups of the coarsest fitting level for the rest. */
export class SeriesQueries {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  /** Counter rows as arrays in CounterDbRow's column order: no object per row (long ranges read thousands). */
  private counterRows(sql: string, ...args: unknown[]): CounterPoint[] {
    let s = this.cache.get(`raw:${sql}`);
    if (!s) {
      s = this.db.prepare(sql).raw(true);
      this.cache.set(`raw:${sql}`, s);
    }
    return (s.all(...args) as number[][]).map((v) => counterPointOf(v));
  }

  /**
   * Counters over [from, to] per agent and bucket of `step` ms (counterResolution chooses one
   * when not given): raw 5-second samples summed per bucket for steps under a minute, otherwise
   * minute roll-ups summed into buckets — whole 10-minute periods from counter_10m where the
   * step allows and the coverage says they are whole, minutes at the edges. `useLevels: false`
   * reads minutes only (the reference answer).
   */
  counters(
    pcode: string,
    from: number,
    to: number,
    agentId?: number,
    askedStep?: number,
    useLevels = true,
  ): { step: number; points: CounterPoint[] } {
    const agent = agentId === undefined ? '' : ' AND agent_id = ?';
    const args: unknown[] = agentId === undefined ? [] : [agentId];
    const { raw, step, start } = counterResolution(from, to, askedStep);
    if (raw && step === COUNTER_SLOT_MS) {
      const points = this.counterRows(
        `${RAW_SELECT} WHERE pcode = ? AND time >= ? AND time <= ?${agent} GROUP BY time, agent_id ORDER BY time, agent_id`,
        pcode, start, to, ...args,
      );
      return { step, points };
    }
    if (raw) {
      // Each slot's samples summed over the agent's processes first, then the slots per bucket.
      const points = this.counterRows(`
        SELECT time - time % ? AS time, agent_id, count(*) AS slots, sum(tps) AS tps, sum(tx_count) AS tx_count,
          sum(tx_error) AS tx_error, sum(resp_sum) AS resp_sum, sum(a0) AS a0, sum(a1) AS a1, sum(a2) AS a2,
          sum(cpu) AS cpu, sum(mem) AS mem, sum(apdex_sum) AS apdex_sum, sum(apdex_weight) AS apdex_weight,
          sum(dropped) AS dropped
        FROM (${RAW_SELECT} WHERE pcode = ? AND time >= ? AND time <= ?${agent} GROUP BY time, agent_id)
        GROUP BY 1, agent_id ORDER BY 1, agent_id`, step, pcode, start, to, ...args);
      return { step, points };
    }
    const end = Math.floor(to / MINUTE) * MINUTE + MINUTE;
    return this.db.transaction(() => {
      const levels = useLevels ? COUNTER_LEVELS.filter((l) => step % l.width === 0) : [];
      const coverage = levels.length > 0 ? readCoverage(this.db, pcode) : NO_COVERAGE;
      const segments = planRange(start, end, coverage, levels, COUNTER_MINUTES);
      if (segments.length === 0) return { step, points: [] };
      // `col - col % ?`: the step is bound as a REAL (better-sqlite3 binds every number so),
      // and % works on integers, so the bucket start stays an exact integer.
      const parts = segments.map(
        ({ level: { table, column } }) =>
          `SELECT ${column} - ${column} % ? AS time, agent_id, ${COUNTER_COLUMNS} FROM ${table}
           WHERE pcode = ? AND ${column} >= ? AND ${column} < ?${agent}`,
      );
      const points = this.counterRows(
        `
        SELECT time, agent_id, sum(slots) AS slots, sum(tps_sum) AS tps, sum(tx_count) AS tx_count,
          sum(tx_error) AS tx_error, sum(resp_sum) AS resp_sum, sum(active0_sum) AS a0, sum(active1_sum) AS a1,
          sum(active2_sum) AS a2, sum(cpu_sum) AS cpu, sum(mem_sum) AS mem, sum(apdex_sum) AS apdex_sum,
          sum(apdex_weight) AS apdex_weight, sum(dropped) AS dropped
        FROM (${parts.join(' UNION ALL ')})
        GROUP BY time, agent_id ORDER BY time, agent_id`,
        ...segments.flatMap((g) => [step, pcode, g.from, g.to, ...args]),
      );
      return { step, points };
    })();
  }

  /** The latest sample of each agent that reported within the hour before the project's newest one. */
  latestCounters(pcode: string): Map<number, CounterPoint> {
    const newest = this.stmt('SELECT max(time) FROM counter WHERE pcode = ?').pluck().get(pcode) as number | null;
    const out = new Map<number, CounterPoint>();
    if (newest === null) return out;
    // Each agent's newest minute (60 rows per agent at most), then its newest slot inside that
    // minute: a few hundred index entries instead of the hour's raw samples of every agent.
    const from = newest - 3_600_000;
    const minutes = this.stmt(
      'SELECT agent_id, max(minute) AS minute FROM counter_1m WHERE pcode = ? AND minute >= ? GROUP BY agent_id',
    ).all(pcode, Math.floor(from / MINUTE) * MINUTE) as Array<{ agent_id: number; minute: number }>;
    const newestSlot = this.stmt(
      'SELECT max(time) FROM counter WHERE pcode = ? AND time >= ? AND time < ? AND agent_id = ?',
    ).pluck();
    const slot = this.stmt(`${RAW_SELECT} WHERE pcode = ? AND time = ? AND agent_id = ? GROUP BY time, agent_id`);
    for (const { agent_id, minute } of minutes) {
      const t = newestSlot.get(pcode, Math.max(minute, from), minute + MINUTE, agent_id) as number | null;
      if (t === null) continue;
      const r = slot.get(pcode, t, agent_id) as CounterDbRow | undefined;
      if (r) out.set(agent_id, toCounterPoint(r));
    }
    return out;
  }

  /**
   * Transactions each agent dropped in the minutes starting in [from, to]: whole 10-minute
   * periods from counter_10m where the coverage allows, minutes at the edges; only rows with
   * drops are summed (the agent list asks on every refresh).
   */
  droppedByAgent(pcode: string, from: number, to: number): Map<number, number> {
    const start = Math.ceil(from / MINUTE) * MINUTE;
    const end = Math.floor(to / MINUTE) * MINUTE + MINUTE;
    const out = new Map<number, number>();
    if (start >= end) return out;
    this.db.transaction(() => {
      for (const { level, from: a, to: b } of planRange(start, end, readCoverage(this.db, pcode), COUNTER_LEVELS, COUNTER_MINUTES)) {
        const rows = this.stmt(`
          SELECT agent_id, sum(dropped) AS dropped FROM ${level.table}
          WHERE pcode = ? AND ${level.column} >= ? AND ${level.column} < ? AND dropped > 0 GROUP BY agent_id`).all(pcode, a, b) as Array<{
          agent_id: number;
          dropped: number;
        }>;
        for (const r of rows) out.set(r.agent_id, (out.get(r.agent_id) ?? 0) + r.dropped);
      }
    })();
    return out;
  }

  /** Transaction roll-ups of [from, to] (whole minutes) merged per agent, from the minute table (it has the agent). */
  latencyByAgent(pcode: string, from: number, to: number): AgentLatency[] {
    const rows = this.stmt(`
      SELECT agent_id, sum(count) AS count, sum(errors) AS errors, sum(sum) AS sum, min(min) AS min, max(max) AS max,
        hist_sum(hist) AS hist
      FROM rollup_1m WHERE pcode = ? AND kind = ? AND minute >= ? AND minute < ?
      GROUP BY agent_id`).all(
      pcode,
      ROLLUP_KIND.transactions,
      Math.floor(from / MINUTE) * MINUTE,
      Math.floor(to / MINUTE) * MINUTE + MINUTE,
    ) as Array<Omit<AgentLatency, 'agentId' | 'hist'> & { agent_id: number; hist: Buffer }>;
    return rows.map(({ agent_id, hist, ...r }) => {
      const h = newHistogram();
      addBlobToHistogram(h, hist);
      return { ...r, agentId: agent_id, hist: h };
    });
  }

  /**
   * Statistics of a kind over [from, to] (whole minutes), percentiles read from the merged
   * latency histograms; sorted by total time, the costliest first. Whole days and hours come
   * from the daily and hourly roll-ups, the minutes at the edges from the minute roll-ups,
   * each merged per key in SQL; with an agent filter, from that agent's daily and hourly
   * roll-ups. `useLevels: false` reads minutes only (the reference answer).
   */
  stats(pcode: string, kind: StatKind, from: number, to: number, agentId?: number, useLevels = true): StatRow[] {
    const agent = agentId === undefined ? '' : ' AND agent_id = ?';
    const args: unknown[] = agentId === undefined ? [] : [agentId];
    const start = Math.floor(from / MINUTE) * MINUTE;
    const end = Math.floor(to / MINUTE) * MINUTE + MINUTE;
    const errors = kind === 'errors';
    const levels = agentId === undefined ? STAT_LEVELS : STAT_AGENT_LEVELS;
    const merged = new Map<string, MergedStat>();
    this.db.transaction(() => {
      const coverage = useLevels ? readCoverage(this.db, pcode) : NO_COVERAGE;
      for (const { level, from: a, to: b } of planRange(start, end, coverage, levels, STAT_MINUTES)) {
        const rows = this.stmt(`
          SELECT key, ${statAggregates(errors)} FROM ${level.table}
          WHERE pcode = ? AND kind = ?${agent} AND ${level.column} >= ? AND ${level.column} < ?
          GROUP BY key`).all(pcode, ROLLUP_KIND[kind], ...args, a, b) as RollupRow[];
        for (const r of rows) mergeRow(merged, r);
      }
    })();
    return sortByCost([...merged.values()].map((m) => toStatRow(m, kind)));
  }
}

/** Adds one level's answer for a key into the merged statistics. */
function mergeRow(merged: Map<string, MergedStat>, r: RollupRow): void {
  const m = merged.get(r.key);
  if (!m) {
    const h = newHistogram();
    addBlobToHistogram(h, r.hist);
    const { hist: _hist, ...rest } = r;
    merged.set(r.key, { ...rest, h });
    return;
  }
  m.count += r.count;
  m.errors += r.errors;
  m.sum += r.sum;
  m.min = Math.min(m.min, r.min);
  m.max = Math.max(m.max, r.max);
  m.sql_time += r.sql_time;
  m.httpc_time += r.httpc_time;
  addBlobToHistogram(m.h, r.hist);
  if (r.last_seen !== null && isLaterOccurrence(r.last_seen, r.example_txid ?? '', m.last_seen, m.example_txid)) {
    m.last_seen = r.last_seen;
    m.message = r.message;
    m.url = r.url;
    m.example_txid = r.example_txid;
  }
}
