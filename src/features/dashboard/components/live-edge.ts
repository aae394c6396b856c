import type { CounterPoint } from '../../../api/counters';

/** Raw samples: one per agent and app process every 5 s, summed per agent by the API. */
const RAW_STEP = 5_000;
/** The tracers send a slot's counters at its end; they reach the collector within this. */
const ARRIVAL_MS = 3_000;
/** How long the newest slot waits for an agent that reported the slot before it (then it is a gap). */
const LATE_AGENT_MS = 10_000;

/**
 * The points without the newest 5-second slot while it is still filling, so the live edge of
 * the charts never shows a drop that is only counters on their way: the slot ended less than
 * ARRIVAL_MS before `now`, or an agent that reported the slot before has not reported this one
 * yet (for at most LATE_AGENT_MS). Roll-up buckets (a longer `step`) average their slots per
 * agent, so a bucket still filling does not dip and is kept.
 */
export function withoutFillingSlot(points: readonly CounterPoint[], step: number, now: number): readonly CounterPoint[] {
  if (step !== RAW_STEP || points.length === 0) return points;
  const slot = (p: CounterPoint) => Math.floor(p.time / step) * step;
  let newest = Number.NEGATIVE_INFINITY;
  for (const p of points) newest = Math.max(newest, slot(p));
  const age = now - newest;
  const agentsIn = (s: number) => new Set(points.filter((p) => slot(p) === s).map((p) => p.agentId));
  const latest = agentsIn(newest);
  const late = age < LATE_AGENT_MS && [...agentsIn(newest - step)].some((id) => !latest.has(id));
  return age < ARRIVAL_MS || late ? points.filter((p) => slot(p) !== newest) : points;
}
