import type Database from 'better-sqlite3';
import type { CounterPoint } from '../../../src/api/counters';
import type { StatKind, StatRow } from '../../../src/api/stats';
import { MINUTE, ROLLUP_KIND } from '../../rollup/accumulator';
import { histogramFromBlob, mergeHistogram } from '../../rollup/histogram';
import {
  type CounterDbRow,
  counterResolution,
  type MergedStat,
  sortByCost,
  toCounterPoint,
  toStatRow,
} from '../telemetry-shaping';

/** Raw samples of one slot summed over the agent's processes. */
const RAW_SELECT = `
  SELECT time, agent_id, 1 AS slots, sum(tps) AS tps, sum(tx_count) AS tx_count, sum(tx_error) AS tx_error,
    sum(resp_time * tx_count) AS resp_sum, sum(active0) AS a0, sum(active1) AS a1, sum(active2) AS a2,
    sum(cpu) AS cpu, sum(mem) AS mem,
    sum(CASE WHEN apdex IS NOT NULL AND tx_count > 0 THEN apdex * tx_count ELSE 0 END) AS apdex_sum,
    sum(CASE WHEN apdex IS NOT NULL AND tx_count > 0 THEN tx_count ELSE 0 END) AS apdex_weight,
    sum(dropped) AS dropped
  FROM counter`;

/** A per-minute roll-up row: a MergedStat of one minute, its histogram as a blob. */
type RollupRow = Omit<MergedStat, 'h'> & { hist: Buffer };

/** Counters and statistics: raw samples for short ranges, per-minute roll-ups for the rest. */
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

  counters(pcode: string, from: number, to: number, agentId?: number): { step: number; points: CounterPoint[] } {
    const agent = agentId === undefined ? '' : ' AND agent_id = ?';
    const args: unknown[] = agentId === undefined ? [] : [agentId];
    const { raw, step, start } = counterResolution(from, to);
    if (raw) {
      const rows = this.stmt(
        `${RAW_SELECT} WHERE pcode = ? AND time >= ? AND time <= ?${agent} GROUP BY time, agent_id ORDER BY time, agent_id`,
      ).all(pcode, start, to, ...args) as CounterDbRow[];
      return { step, points: rows.map((r) => toCounterPoint(r)) };
    }
    const rows = this.stmt(`
      SELECT (minute / ?) * ? AS time, agent_id, sum(slots) AS slots, sum(tps_sum) AS tps, sum(tx_count) AS tx_count,
        sum(tx_error) AS tx_error, sum(resp_sum) AS resp_sum, sum(active0_sum) AS a0, sum(active1_sum) AS a1,
        sum(active2_sum) AS a2, sum(cpu_sum) AS cpu, sum(mem_sum) AS mem, sum(apdex_sum) AS apdex_sum,
        sum(apdex_weight) AS apdex_weight, sum(dropped) AS dropped
      FROM counter_1m WHERE pcode = ? AND minute >= ? AND minute <= ?${agent}
      GROUP BY 1, agent_id ORDER BY 1, agent_id`).all(
      step, step, pcode, start, to, ...args,
    ) as CounterDbRow[];
    return { step, points: rows.map((r) => toCounterPoint(r)) };
  }

  /** The latest sample of each agent that reported within the hour before the project's newest one. */
  latestCounters(pcode: string): Map<number, CounterPoint> {
    const newest = this.stmt('SELECT max(time) FROM counter WHERE pcode = ?').pluck().get(pcode) as number | null;
    const out = new Map<number, CounterPoint>();
    if (newest === null) return out;
    const rows = this.stmt(`
      WITH latest AS (
        SELECT agent_id AS aid, max(time) AS t FROM counter WHERE pcode = ? AND time >= ? GROUP BY agent_id
      )
      ${RAW_SELECT} JOIN latest ON counter.agent_id = latest.aid AND counter.time = latest.t
      WHERE pcode = ? GROUP BY time, agent_id`).all(pcode, newest - 3_600_000, pcode) as CounterDbRow[];
    for (const r of rows) out.set(r.agent_id, toCounterPoint(r));
    return out;
  }

  /**
   * Statistics of a kind over [from, to]: per-minute roll-ups merged per key, percentiles
   * read from the merged latency histograms. Sorted by total time, the costliest first.
   */
  stats(pcode: string, kind: StatKind, from: number, to: number, agentId?: number): StatRow[] {
    const agent = agentId === undefined ? '' : ' AND agent_id = ?';
    const args: unknown[] = agentId === undefined ? [] : [agentId];
    const rows = this.stmt(`
      SELECT key, count, errors, sum, min, max, sql_time, httpc_time, hist, message, url, last_seen, example_txid
      FROM rollup_1m WHERE pcode = ? AND kind = ? AND minute >= ? AND minute <= ?${agent}`).all(
      pcode, ROLLUP_KIND[kind], Math.floor(from / MINUTE) * MINUTE, to, ...args,
    ) as RollupRow[];
    const merged = new Map<string, RollupRow & MergedStat>();
    for (const r of rows) {
      const m = merged.get(r.key);
      if (!m) {
        merged.set(r.key, { ...r, h: histogramFromBlob(r.hist) });
        continue;
      }
      m.count += r.count;
      m.errors += r.errors;
      m.sum += r.sum;
      m.min = Math.min(m.min, r.min);
      m.max = Math.max(m.max, r.max);
      m.sql_time += r.sql_time;
      m.httpc_time += r.httpc_time;
      mergeHistogram(m.h, histogramFromBlob(r.hist));
      if ((r.last_seen ?? 0) >= (m.last_seen ?? 0)) {
        m.last_seen = r.last_seen;
        m.message = r.message;
        m.url = r.url;
        m.example_txid = r.example_txid;
      }
    }
    return sortByCost([...merged.values()].map((m) => toStatRow(m, kind)));
  }
}
