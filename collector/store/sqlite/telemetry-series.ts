import type Database from 'better-sqlite3';
import type { CounterPoint } from '../../../src/api/counters';
import type { StatKind, StatRow } from '../../../src/api/stats';
import { MINUTE, ROLLUP_KIND } from '../../rollup/accumulator';
import { histogramFromBlob, mergeHistogram, percentile } from '../../rollup/histogram';
import { COUNTER_SLOT } from './telemetry-counter-writer';

/** Ranges up to this long are answered with raw 5-second samples. */
export const RAW_COUNTER_RANGE = 3_600_000;
/** Bucket widths for longer ranges, minutes; the smallest giving at most MAX_POINTS per agent. */
const STEPS_MIN = [1, 5, 10, 30, 60, 180, 360, 720, 1440];
const MAX_POINTS = 1500;

interface RawCounterRow {
  time: number;
  agent_id: number;
  tps: number;
  tx_count: number;
  tx_error: number;
  resp_sum: number;
  a0: number;
  a1: number;
  a2: number;
  cpu: number;
  mem: number;
  apdex_sum: number;
  apdex_weight: number;
  dropped: number;
  /** 1 for raw rows; the number of 5-second samples for roll-up buckets. */
  slots: number;
}

/** Raw samples of one slot summed over the agent's processes. */
const RAW_SELECT = `
  SELECT time, agent_id, 1 AS slots, sum(tps) AS tps, sum(tx_count) AS tx_count, sum(tx_error) AS tx_error,
    sum(resp_time * tx_count) AS resp_sum, sum(active0) AS a0, sum(active1) AS a1, sum(active2) AS a2,
    sum(cpu) AS cpu, sum(mem) AS mem,
    sum(CASE WHEN apdex IS NOT NULL AND tx_count > 0 THEN apdex * tx_count ELSE 0 END) AS apdex_sum,
    sum(CASE WHEN apdex IS NOT NULL AND tx_count > 0 THEN tx_count ELSE 0 END) AS apdex_weight,
    sum(dropped) AS dropped
  FROM counter`;

function toPoint(r: RawCounterRow): CounterPoint {
  const slots = Math.max(1, r.slots);
  return {
    time: r.time,
    agentId: r.agent_id,
    tps: r.tps / slots,
    txCount: r.tx_count,
    txError: r.tx_error,
    respTime: r.tx_count > 0 ? r.resp_sum / r.tx_count : 0,
    activeBands: [r.a0 / slots, r.a1 / slots, r.a2 / slots],
    cpu: r.cpu / slots,
    mem: r.mem / slots,
    apdex: r.apdex_weight > 0 ? r.apdex_sum / r.apdex_weight : null,
    dropped: r.dropped,
  };
}

interface RollupRow {
  key: string;
  count: number;
  errors: number;
  sum: number;
  min: number;
  max: number;
  sql_time: number;
  httpc_time: number;
  hist: Buffer;
  message: string | null;
  url: string | null;
  last_seen: number | null;
  example_txid: string | null;
}

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
    if (to - from <= RAW_COUNTER_RANGE) {
      const rows = this.stmt(
        `${RAW_SELECT} WHERE pcode = ? AND time >= ? AND time <= ?${agent} GROUP BY time, agent_id ORDER BY time, agent_id`,
      ).all(pcode, Math.floor(from / COUNTER_SLOT) * COUNTER_SLOT, to, ...args) as RawCounterRow[];
      return { step: COUNTER_SLOT, points: rows.map(toPoint) };
    }
    const minutes = STEPS_MIN.find((m) => (to - from) / (m * MINUTE) <= MAX_POINTS) ?? STEPS_MIN.at(-1)!;
    const step = minutes * MINUTE;
    const rows = this.stmt(`
      SELECT (minute / ?) * ? AS time, agent_id, sum(slots) AS slots, sum(tps_sum) AS tps, sum(tx_count) AS tx_count,
        sum(tx_error) AS tx_error, sum(resp_sum) AS resp_sum, sum(active0_sum) AS a0, sum(active1_sum) AS a1,
        sum(active2_sum) AS a2, sum(cpu_sum) AS cpu, sum(mem_sum) AS mem, sum(apdex_sum) AS apdex_sum,
        sum(apdex_weight) AS apdex_weight, sum(dropped) AS dropped
      FROM counter_1m WHERE pcode = ? AND minute >= ? AND minute <= ?${agent}
      GROUP BY 1, agent_id ORDER BY 1, agent_id`).all(
      step, step, pcode, Math.floor(from / step) * step, to, ...args,
    ) as RawCounterRow[];
    return { step, points: rows.map(toPoint) };
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
      WHERE pcode = ? GROUP BY time, agent_id`).all(pcode, newest - 3_600_000, pcode) as RawCounterRow[];
    for (const r of rows) out.set(r.agent_id, toPoint(r));
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
    const merged = new Map<string, RollupRow & { h: Uint32Array }>();
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
    const out: StatRow[] = [];
    for (const m of merged.values()) {
      const row: StatRow = {
        key: m.key,
        count: m.count,
        errors: m.errors,
        avg: m.count > 0 ? m.sum / m.count : 0,
        p50: percentile(m.h, 0.5, m.min, m.max),
        p95: percentile(m.h, 0.95, m.min, m.max),
        p99: percentile(m.h, 0.99, m.min, m.max),
        max: m.max,
        total: m.sum,
      };
      if (kind === 'transactions') {
        row.sqlTime = m.sql_time;
        row.httpcTime = m.httpc_time;
      }
      if (kind === 'errors') {
        row.message = m.message ?? '';
        if (m.url !== null) row.url = m.url;
        if (m.last_seen !== null) row.lastSeen = m.last_seen;
        if (m.example_txid !== null) row.exampleTxid = m.example_txid;
      }
      out.push(row);
    }
    out.sort((a, b) => b.total - a.total || b.count - a.count);
    return out;
  }
}
