import { COUNTER_SLOT_MS, type CounterPoint } from '../../../src/api/counters';
import type { StatKind, StatRow } from '../../../src/api/stats';
import type { AgentLatency } from '../telemetry-store';
import { MINUTE, ROLLUP_KIND } from '../rollup-accumulator';
import {
  type CounterDbRow,
  counterResolution,
  type MergedStat,
  type Round,
  sortByCost,
  toCounterPoint,
  toStatRow,
} from '../telemetry-shaping';
import { type ClickHouse, num, str } from './ch-client';

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
const r9: Round = (v) => Math.round(v * 1e9) / 1e9;

/** A key's roll-ups merged by ClickHouse; the error fields are never null (argMax of String). */
type StatDbRow = Omit<MergedStat, 'h'> & { hist: number[] };

/** Counters and statistics from the raw samples and the AggregatingMergeTree roll-ups. */
export class ChSeriesQueries {
  constructor(private readonly ch: ClickHouse) {}

  /** Counters per agent and bucket of `step` ms (counterResolution chooses one when not given). */
  async counters(
    pcode: string,
    from: number,
    to: number,
    agentId?: number,
    askedStep?: number,
  ): Promise<{ step: number; points: CounterPoint[] }> {
    const agent = agentId === undefined ? '' : ` AND agent_id = ${num(agentId)}`;
    const { raw, step, start } = counterResolution(from, to, askedStep);
    if (raw) {
      const slots = rawSelect(`pcode = ${str(pcode)} AND time >= ${num(start)} AND time <= ${num(Math.floor(to))}${agent}`);
      // Slots summed per bucket; the outer names differ from the inner ones (alias resolution, above).
      const rows = await this.ch.rows<CounterDbRow>(
        step === COUNTER_SLOT_MS
          ? slots
          : `
        SELECT b_time AS time, agent_id, b_slots AS slots, b_tps AS tps, b_tx_count AS tx_count, b_tx_error AS tx_error,
          b_resp_sum AS resp_sum, b_a0 AS a0, b_a1 AS a1, b_a2 AS a2, b_cpu AS cpu, b_mem AS mem,
          b_apdex_sum AS apdex_sum, b_apdex_weight AS apdex_weight, b_dropped AS dropped
        FROM (
          SELECT intDiv(time, ${num(step)}) * ${num(step)} AS b_time, agent_id, count() AS b_slots, sum(tps) AS b_tps,
            sum(tx_count) AS b_tx_count, sum(tx_error) AS b_tx_error, sum(resp_sum) AS b_resp_sum, sum(a0) AS b_a0,
            sum(a1) AS b_a1, sum(a2) AS b_a2, sum(cpu) AS b_cpu, sum(mem) AS b_mem, sum(apdex_sum) AS b_apdex_sum,
            sum(apdex_weight) AS b_apdex_weight, sum(dropped) AS b_dropped
          FROM (${slots})
          GROUP BY b_time, agent_id
        )
        ORDER BY time, agent_id`,
      );
      return { step, points: rows.map((r) => toCounterPoint(r, r9)) };
    }
    const rows = await this.ch.rows<CounterDbRow>(`
      SELECT intDiv(minute, ${step}) * ${step} AS time, agent_id, uniqExactMerge(slots) AS slots,
        sumMerge(tps_sum) AS tps, sumMerge(tx_count_sum) AS tx_count, sumMerge(tx_error_sum) AS tx_error,
        sumMerge(resp_sum) AS resp_sum, sumMerge(active0_sum) AS a0, sumMerge(active1_sum) AS a1,
        sumMerge(active2_sum) AS a2, sumMerge(cpu_sum) AS cpu, sumMerge(mem_sum) AS mem,
        sumMerge(apdex_sum) AS apdex_sum, sumMerge(apdex_weight) AS apdex_weight, sumMerge(dropped_sum) AS dropped
      FROM counter_1m
      WHERE pcode = ${str(pcode)} AND minute >= ${num(start)} AND minute <= ${num(Math.floor(to))}${agent}
      GROUP BY time, agent_id ORDER BY time, agent_id`);
    return { step, points: rows.map((r) => toCounterPoint(r, r9)) };
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
    const rows = await this.ch.rows<CounterDbRow>(
      rawSelect(`pcode = ${str(pcode)} AND time IN (${times}) AND (agent_id, time) IN (${pairs})`),
    );
    for (const r of rows) out.set(r.agent_id, toCounterPoint(r, r9));
    return out;
  }

  /** Transactions each agent dropped in the minutes starting in [from, to]; agents without drops are left out. */
  async droppedByAgent(pcode: string, from: number, to: number): Promise<Map<number, number>> {
    const rows = await this.ch.rows<{ agent_id: number; dropped: number }>(`
      SELECT agent_id, sumMerge(dropped_sum) AS dropped FROM counter_1m
      WHERE pcode = ${str(pcode)} AND minute >= ${num(Math.ceil(from / MINUTE) * MINUTE)} AND minute <= ${num(Math.floor(to))}
      GROUP BY agent_id HAVING dropped > 0`);
    return new Map(rows.map((r) => [Number(r.agent_id), r9(Number(r.dropped))]));
  }

  /** Transaction roll-ups of [from, to] (whole minutes) merged per agent, histograms included. */
  async latencyByAgent(pcode: string, from: number, to: number): Promise<AgentLatency[]> {
    const rows = await this.ch.rows<{ agent_id: number; count: number; errors: number; sum: number; min: number; max: number; hist: number[] }>(`
      SELECT agent_id, sumMerge(count) AS count, sumMerge(errors) AS errors, sumMerge(sum) AS sum, minMerge(min) AS min,
        maxMerge(max) AS max, sumForEachMerge(hist) AS hist
      FROM rollup_1m
      WHERE pcode = ${str(pcode)} AND kind = ${ROLLUP_KIND.transactions}
        AND minute >= ${num(Math.floor(from / MINUTE) * MINUTE)} AND minute <= ${num(Math.floor(to))}
      GROUP BY agent_id`);
    return rows.map(({ agent_id, hist, ...r }) => ({
      agentId: Number(agent_id),
      count: Number(r.count),
      errors: Number(r.errors),
      sum: r9(Number(r.sum)),
      min: Number(r.min),
      max: Number(r.max),
      hist: Uint32Array.from(hist.map(Number)),
    }));
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
    return sortByCost(rows.map((m) => toStatRow({ ...m, h: Uint32Array.from(m.hist) }, kind, r9)));
  }
}
