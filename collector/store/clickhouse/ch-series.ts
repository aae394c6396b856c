import type { CounterPoint } from '../../../src/api/counters';
import type { StatKind, StatRow } from '../../../src/api/stats';
import { MINUTE, ROLLUP_KIND } from '../../rollup/accumulator';
import { percentile } from '../../rollup/histogram';
import { type ClickHouse, num, str } from './ch-client';
import { COUNTER_SLOT } from './ch-writer';

/** Same answers as the SQLite engine (telemetry-series.ts): raw samples up to an hour, minute roll-ups beyond. */
const RAW_COUNTER_RANGE = 3_600_000;
const STEPS_MIN = [1, 5, 10, 30, 60, 180, 360, 720, 1440];
const MAX_POINTS = 1500;

interface CounterRow {
  time: number;
  agent_id: number;
  slots: number;
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
}

/**
 * Raw samples of one slot summed over the agent's processes. The inner GROUP BY keeps one
 * sample per (slot, agent, pid) even if a duplicate reached the table, so the sums are exact.
 */
function rawSelect(where: string): string {
  // Inner names differ from the outer aliases: 18.16 resolves an alias inside other expressions.
  return `
    SELECT time, agent_id, 1 AS slots, sum(s_tps) AS tps, sum(s_tx_count) AS tx_count, sum(s_tx_error) AS tx_error,
      sum(s_resp_time * s_tx_count) AS resp_sum, sum(s_a0) AS a0, sum(s_a1) AS a1, sum(s_a2) AS a2,
      sum(s_cpu) AS cpu, sum(s_mem) AS mem,
      sum(if(s_has_apdex = 1 AND s_tx_count > 0, s_apdex * s_tx_count, 0)) AS apdex_sum,
      sum(if(s_has_apdex = 1 AND s_tx_count > 0, s_tx_count, 0)) AS apdex_weight, sum(s_dropped) AS dropped
    FROM (
      SELECT time, agent_id, pid, any(tps) AS s_tps, any(tx_count) AS s_tx_count, any(tx_error) AS s_tx_error,
        any(resp_time) AS s_resp_time, any(active0) AS s_a0, any(active1) AS s_a1, any(active2) AS s_a2,
        any(cpu) AS s_cpu, any(mem) AS s_mem, any(apdex) AS s_apdex, any(has_apdex) AS s_has_apdex,
        any(dropped) AS s_dropped
      FROM counter WHERE ${where} GROUP BY time, agent_id, pid
    )
    GROUP BY time, agent_id ORDER BY time, agent_id`;
}

/**
 * ClickHouse adds floats in whatever order its threads merge parts, so the last bits of a sum
 * differ from one query to the next; rounding to a billionth keeps every collector's answer
 * identical (the values are milliseconds, percentages, bytes).
 */
const r9 = (v: number) => Math.round(v * 1e9) / 1e9;

function toPoint(r: CounterRow): CounterPoint {
  const slots = Math.max(1, r.slots);
  return {
    time: r.time,
    agentId: r.agent_id,
    tps: r9(r.tps / slots),
    txCount: r9(r.tx_count),
    txError: r9(r.tx_error),
    respTime: r.tx_count > 0 ? r9(r.resp_sum / r.tx_count) : 0,
    activeBands: [r9(r.a0 / slots), r9(r.a1 / slots), r9(r.a2 / slots)],
    cpu: r9(r.cpu / slots),
    mem: r9(r.mem / slots),
    apdex: r.apdex_weight > 0 ? r9(r.apdex_sum / r.apdex_weight) : null,
    dropped: r9(r.dropped),
  };
}

interface StatDbRow {
  key: string;
  count: number;
  errors: number;
  sum: number;
  min: number;
  max: number;
  sql_time: number;
  httpc_time: number;
  hist: number[];
  message: string;
  url: string;
  last_seen: number;
  example_txid: string;
}

/** Counters and statistics from the raw samples and the AggregatingMergeTree roll-ups. */
export class ChSeriesQueries {
  constructor(private readonly ch: ClickHouse) {}

  async counters(pcode: string, from: number, to: number, agentId?: number): Promise<{ step: number; points: CounterPoint[] }> {
    const agent = agentId === undefined ? '' : ` AND agent_id = ${num(agentId)}`;
    if (to - from <= RAW_COUNTER_RANGE) {
      const lo = Math.floor(from / COUNTER_SLOT) * COUNTER_SLOT;
      const rows = await this.ch.rows<CounterRow>(
        rawSelect(`pcode = ${str(pcode)} AND time >= ${num(lo)} AND time <= ${num(Math.floor(to))}${agent}`),
      );
      return { step: COUNTER_SLOT, points: rows.map(toPoint) };
    }
    const minutes = STEPS_MIN.find((m) => (to - from) / (m * MINUTE) <= MAX_POINTS) ?? STEPS_MIN.at(-1)!;
    const step = minutes * MINUTE;
    const rows = await this.ch.rows<CounterRow>(`
      SELECT intDiv(minute, ${step}) * ${step} AS time, agent_id, uniqExactMerge(slots) AS slots,
        sumMerge(tps_sum) AS tps, sumMerge(tx_count_sum) AS tx_count, sumMerge(tx_error_sum) AS tx_error,
        sumMerge(resp_sum) AS resp_sum, sumMerge(active0_sum) AS a0, sumMerge(active1_sum) AS a1,
        sumMerge(active2_sum) AS a2, sumMerge(cpu_sum) AS cpu, sumMerge(mem_sum) AS mem,
        sumMerge(apdex_sum) AS apdex_sum, sumMerge(apdex_weight) AS apdex_weight, sumMerge(dropped_sum) AS dropped
      FROM counter_1m
      WHERE pcode = ${str(pcode)} AND minute >= ${num(Math.floor(from / step) * step)} AND minute <= ${num(Math.floor(to))}${agent}
      GROUP BY time, agent_id ORDER BY time, agent_id`);
    return { step, points: rows.map(toPoint) };
  }

  /** The latest sample of each agent that reported within the hour before the project's newest one. */
  async latestCounters(pcode: string): Promise<Map<number, CounterPoint>> {
    const latest = await this.ch.rows<{ agent_id: number; t: number }>(
      `SELECT agent_id, maxMerge(latest) AS t FROM agent_latest WHERE pcode = ${str(pcode)} GROUP BY agent_id`,
    );
    const out = new Map<number, CounterPoint>();
    if (latest.length === 0) return out;
    const newest = Math.max(...latest.map((l) => l.t));
    const recent = latest.filter((l) => l.t >= newest - 3_600_000);
    const pairs = recent.map((l) => `(${num(l.agent_id)}, ${num(l.t)})`).join(', ');
    const times = [...new Set(recent.map((l) => l.t))].map(num).join(', ');
    // `time IN` narrows to primary-key ranges; the tuple test picks each agent's own slot.
    const rows = await this.ch.rows<CounterRow>(
      rawSelect(`pcode = ${str(pcode)} AND time IN (${times}) AND (agent_id, time) IN (${pairs})`),
    );
    for (const r of rows) out.set(r.agent_id, toPoint(r));
    return out;
  }

  /**
   * Statistics of a kind over [from, to]: roll-up states merged per key; percentiles read
   * from the merged latency histograms. Sorted by total time, the costliest first.
   */
  async stats(pcode: string, kind: StatKind, from: number, to: number, agentId?: number): Promise<StatRow[]> {
    const agent = agentId === undefined ? '' : ` AND agent_id = ${num(agentId)}`;
    const rows = await this.ch.rows<StatDbRow>(`
      SELECT key, sumMerge(count) AS count, sumMerge(errors) AS errors, sumMerge(sum) AS sum, minMerge(min) AS min, maxMerge(max) AS max,
        sumMerge(sql_time) AS sql_time, sumMerge(httpc_time) AS httpc_time, sumForEachMerge(hist) AS hist,
        argMaxMerge(message) AS message, argMaxMerge(url) AS url, maxMerge(latest) AS last_seen,
        argMaxMerge(example_txid) AS example_txid
      FROM rollup_1m
      WHERE pcode = ${str(pcode)} AND kind = ${ROLLUP_KIND[kind]}
        AND minute >= ${num(Math.floor(from / MINUTE) * MINUTE)} AND minute <= ${num(Math.floor(to))}${agent}
      GROUP BY key`);
    const out = rows.map((m) => {
      const h = Uint32Array.from(m.hist);
      const row: StatRow = {
        key: m.key,
        count: m.count,
        errors: m.errors,
        avg: m.count > 0 ? r9(m.sum / m.count) : 0,
        p50: percentile(h, 0.5, m.min, m.max),
        p95: percentile(h, 0.95, m.min, m.max),
        p99: percentile(h, 0.99, m.min, m.max),
        max: m.max,
        total: r9(m.sum),
      };
      if (kind === 'transactions') {
        row.sqlTime = r9(m.sql_time);
        row.httpcTime = r9(m.httpc_time);
      }
      if (kind === 'errors') {
        row.message = m.message;
        row.url = m.url;
        row.lastSeen = m.last_seen;
        row.exampleTxid = m.example_txid;
      }
      return row;
    });
    out.sort((a, b) => b.total - a.total || b.count - a.count);
    return out;
  }
}
