import type { CounterPoint, CounterSeries } from '../api/counters';

/** Why an agent drops transactions; the agent only drops when its buffer (or spool) is full. */
export const DROP_REASON = 'agent buffer full';

/** Counter slot width, ms. */
const SLOT_MS = 5_000;

/** A time range in which one agent dropped transactions. */
export interface DropRange {
  agentId: number;
  /** Start of the first bucket with drops, ms. */
  from: number;
  /** End of the last bucket with drops, ms. */
  to: number;
  count: number;
}

/** One agent's drops in one slot or bucket (the counters API's `drops` of each agent). */
export type AgentDrop = Pick<CounterPoint, 'agentId' | 'time' | 'dropped'>;

/** The drops of every agent of a counters answer. */
export function dropsOf(series: CounterSeries): AgentDrop[] {
  return series.agents.flatMap((a) => a.drops.map(([time, dropped]) => ({ agentId: a.agentId, time, dropped })));
}

/**
 * The ranges with drops, per agent, at the resolution of `step`: every point with `dropped`
 * marks its slot (raw samples) or bucket (roll-ups), and consecutive buckets of one agent merge into one range. Each counter
 * carries the drops of its own slot, so a range is where the losses happened.
 */
export function dropRanges(points: readonly AgentDrop[], step: number): DropRange[] {
  const byAgent = new Map<number, Map<number, number>>();
  for (const p of points) {
    if (p.dropped <= 0) continue;
    const buckets = byAgent.get(p.agentId) ?? new Map<number, number>();
    // A raw sample at `time` covers the 5 s before it; a roll-up bucket starts at its time.
    const bucket = step <= SLOT_MS ? p.time - SLOT_MS : Math.floor(p.time / step) * step;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + p.dropped);
    byAgent.set(p.agentId, buckets);
  }
  const out: DropRange[] = [];
  for (const [agentId, buckets] of byAgent) {
    let current: DropRange | null = null;
    for (const [bucket, count] of [...buckets].sort((a, b) => a[0] - b[0])) {
      if (current && current.to === bucket) {
        current.to = bucket + step;
        current.count += count;
      } else {
        current = { agentId, from: bucket, to: bucket + step, count };
        out.push(current);
      }
    }
  }
  return out.sort((a, b) => a.from - b.from || a.agentId - b.agentId);
}

/** "312 transactions not recorded by shop-0-1-gunicorn: agent buffer full" (plain text, never HTML). */
export function dropText(range: DropRange, agentName: string, formatCount: (n: number) => string): string {
  const noun = range.count === 1 ? 'transaction' : 'transactions';
  return `${formatCount(range.count)} ${noun} not recorded by ${agentName}: ${DROP_REASON}`;
}
