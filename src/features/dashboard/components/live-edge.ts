import type { CounterView } from '../lib/aggregate-counters';

/** Raw samples: one per agent and app process every 5 s, summed per agent by the API. */
const RAW_STEP = 5_000;
/** The tracers send a slot's counters at its end; they reach the collector within this. */
const ARRIVAL_MS = 3_000;
/** How long the newest slot waits for an agent that reported the slot before it (then it is a gap). */
const LATE_AGENT_MS = 10_000;

/**
 * The counters without the newest 5-second slot while it is still filling, so the live edge of
 * the charts never shows a drop that is only counters on their way: the slot ended less than
 * ARRIVAL_MS before `now`, or fewer agents reported it than the slot before (for at most
 * LATE_AGENT_MS). Roll-up buckets (a longer step) average their slots per agent, so a bucket
 * still filling does not dip and is kept.
 */
export function withoutFillingSlot(view: CounterView, now: number): CounterView {
  const { step, buckets } = view;
  const newest = buckets.at(-1);
  if (step !== RAW_STEP || !newest) return view;
  const age = now - newest.time;
  const before = buckets.at(-2);
  const late = age < LATE_AGENT_MS && before !== undefined && before.time === newest.time - step && newest.agents < before.agents;
  if (age >= ARRIVAL_MS && !late) return view;
  const kept = (series: Array<[number, number]>) => series.filter(([t]) => t !== newest.time);
  return {
    step,
    buckets: buckets.slice(0, -1),
    agents: view.agents.map((a) => ({ ...a, cpu: kept(a.cpu), memMib: kept(a.memMib), drops: kept(a.drops) })),
  };
}
