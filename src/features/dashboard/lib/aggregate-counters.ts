import type { CounterPoint } from '../../../api/counters';

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

/** Keeps each agent's newest point. */
export function latestPerAgent(points: readonly CounterPoint[]): Map<number, CounterPoint> {
  const latest = new Map<number, CounterPoint>();
  for (const p of points) {
    const seen = latest.get(p.agentId);
    if (!seen || p.time > seen.time) latest.set(p.agentId, p);
  }
  return latest;
}

/**
 * An agent whose latest sample is this much older than the newest one has stopped reporting
 * (two missed 5-second samples): its last load is history, not "now".
 */
export const STALE_SAMPLE_MS = 10_000;

/** The "now" figures from the last few seconds of counters, leaving out agents that went quiet. */
export function liveFigures(points: readonly CounterPoint[]): LiveFigures {
  const perAgent = latestPerAgent(points);
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
  /** Apdex weighted by transaction count over points that have one; null when none has. */
  apdex: number | null;
}

export function rangeTotals(points: readonly CounterPoint[]): RangeTotals {
  let txCount = 0;
  let dropped = 0;
  let errors = 0;
  let apdexWeight = 0;
  let apdexSum = 0;
  for (const p of points) {
    // The tracer counts a transaction before the agent knows it cannot send it.
    txCount += Math.max(0, p.txCount - p.dropped);
    dropped += p.dropped;
    errors += p.txError;
    if (p.apdex !== null && p.txCount > 0) {
      apdexSum += p.apdex * p.txCount;
      apdexWeight += p.txCount;
    }
  }
  return { txCount, dropped, errors, apdex: apdexWeight > 0 ? apdexSum / apdexWeight : null };
}

/** Project-wide values of one time bucket. */
export interface Bucket {
  time: number;
  tps: number;
  respTime: number | null;
  errors: number;
  apdex: number | null;
}

/**
 * Sums the agents' points per bucket of `step` ms. An agent with two samples in one bucket
 * (clock skew, a late batch) has them averaged first so it does not count twice in TPS.
 */
export function bucketize(points: readonly CounterPoint[], step: number): Bucket[] {
  const byKey = new Map<string, CounterPoint[]>();
  for (const p of points) {
    const key = `${Math.floor(p.time / step) * step}:${p.agentId}`;
    const list = byKey.get(key);
    if (list) list.push(p);
    else byKey.set(key, [p]);
  }
  const acc = new Map<number, { tps: number; tx: number; resp: number; errors: number; apdexSum: number; apdexW: number }>();
  for (const [key, list] of byKey) {
    const time = Number(key.slice(0, key.indexOf(':')));
    const a = acc.get(time) ?? { tps: 0, tx: 0, resp: 0, errors: 0, apdexSum: 0, apdexW: 0 };
    for (const p of list) {
      a.tps += p.tps / list.length;
      a.tx += p.txCount;
      a.resp += p.respTime * p.txCount;
      a.errors += p.txError;
      if (p.apdex !== null && p.txCount > 0) {
        a.apdexSum += p.apdex * p.txCount;
        a.apdexW += p.txCount;
      }
    }
    acc.set(time, a);
  }
  return [...acc.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([time, a]) => ({
      time,
      tps: a.tps,
      respTime: a.tx > 0 ? a.resp / a.tx : null,
      errors: a.errors,
      apdex: a.apdexW > 0 ? a.apdexSum / a.apdexW : null,
    }));
}

/** One agent's values over time, for the per-agent CPU and memory charts. */
export function perAgentSeries(
  points: readonly CounterPoint[],
  pick: (p: CounterPoint) => number,
): Map<number, Array<[number, number]>> {
  const out = new Map<number, Array<[number, number]>>();
  for (const p of points) {
    const list = out.get(p.agentId) ?? [];
    list.push([p.time, pick(p)]);
    out.set(p.agentId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a[0] - b[0]);
  return out;
}
