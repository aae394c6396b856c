import type { CounterPoint, CounterSeries } from '../../../api/counters';

/** The selected agents together over one bucket, as the project-wide charts draw them. */
export interface Bucket {
  time: number;
  /** How many agents reported in it. */
  agents: number;
  tps: number;
  txCount: number;
  errors: number;
  dropped: number;
  /** Weighted by transactions; null when none finished. */
  respTime: number | null;
  apdex: number | null;
}

/** One agent's counters: its newest bucket whole, its CPU and memory (MiB) over time, its drops. */
export interface AgentCounters {
  agentId: number;
  latest: CounterPoint;
  cpu: Array<[number, number]>;
  memMib: Array<[number, number]>;
  /** [bucket time, transactions dropped]. */
  drops: Array<[number, number]>;
}

/** Counters of a window as the dashboard uses them. */
export interface CounterView {
  step: number;
  buckets: Bucket[];
  agents: AgentCounters[];
}

/** The API's columns as buckets and per-agent series (the client boundary: components never see the columns). */
export function toCounterView(series: CounterSeries): CounterView {
  const { time, total } = series;
  const pairs = (values: ReadonlyArray<number | null>) => {
    const out: Array<[number, number]> = [];
    values.forEach((v, i) => {
      if (v !== null) out.push([time[i]!, v]);
    });
    return out;
  };
  return {
    step: series.step,
    buckets: time.map((t, i) => ({
      time: t,
      agents: total.agents[i]!,
      tps: total.tps[i]!,
      txCount: total.txCount[i]!,
      errors: total.txError[i]!,
      dropped: total.dropped[i]!,
      respTime: total.respTime[i]!,
      apdex: total.apdex[i]!,
    })),
    agents: series.agents.map((a) => ({
      agentId: a.agentId,
      latest: a.latest,
      cpu: pairs(a.cpu),
      memMib: pairs(a.memMib),
      drops: a.drops.map(([t, n]) => [t, n]),
    })),
  };
}

/** The figures of one moment (the latest sample of each agent), as the dashboard tiles show them. */
export interface LiveFigures {
  /** Sum over agents. */
  tps: number;
  /** Mean response time weighted by transaction count; null when no transaction finished. */
  respTime: number | null;
  /** Active transactions by band: < 3 s, 3–8 s, ≥ 8 s, summed over agents. */
  activeBands: [number, number, number];
  /** The latest sample of each agent, by agent id. */
  perAgent: Map<number, CounterPoint>;
  /** Time of the newest sample, or null without samples. */
  time: number | null;
}

/**
 * An agent whose latest sample is this much older than the newest one has stopped reporting
 * (two missed 5-second samples): its last load is history, not "now".
 */
export const STALE_SAMPLE_MS = 10_000;

/** The "now" figures from the agents' latest samples of the last few seconds, leaving out agents that went quiet. */
export function liveFigures(agents: readonly AgentCounters[]): LiveFigures {
  const perAgent = new Map(agents.map((a) => [a.agentId, a.latest]));
  let newest = -Infinity;
  for (const p of perAgent.values()) newest = Math.max(newest, p.time);
  for (const [id, p] of perAgent) if (p.time < newest - STALE_SAMPLE_MS) perAgent.delete(id);
  let tps = 0;
  let txCount = 0;
  let respWeighted = 0;
  const activeBands: [number, number, number] = [0, 0, 0];
  let time: number | null = null;
  for (const p of perAgent.values()) {
    tps += p.tps;
    txCount += p.txCount;
    respWeighted += p.respTime * p.txCount;
    activeBands[0] += p.activeBands[0];
    activeBands[1] += p.activeBands[1];
    activeBands[2] += p.activeBands[2];
    if (time === null || p.time > time) time = p.time;
  }
  return { tps, respTime: txCount > 0 ? respWeighted / txCount : null, activeBands, perAgent, time };
}

/** Totals over a whole range. */
export interface RangeTotals {
  /** Transactions recorded: the agents' count less the ones they dropped (never stored). */
  txCount: number;
  /** Transactions the agents served but dropped (buffer full during a collector outage). */
  dropped: number;
  errors: number;
  /** Apdex weighted by transaction count over buckets that have one; null when none has. */
  apdex: number | null;
}

export function rangeTotals(buckets: readonly Bucket[]): RangeTotals {
  let txCount = 0;
  let dropped = 0;
  let errors = 0;
  let apdexWeight = 0;
  let apdexSum = 0;
  for (const b of buckets) {
    // The tracer counts a transaction before the agent knows it cannot send it.
    txCount += Math.max(0, b.txCount - b.dropped);
    dropped += b.dropped;
    errors += b.errors;
    if (b.apdex !== null && b.txCount > 0) {
      apdexSum += b.apdex * b.txCount;
      apdexWeight += b.txCount;
    }
  }
  return { txCount, dropped, errors, apdex: apdexWeight > 0 ? apdexSum / apdexWeight : null };
}
