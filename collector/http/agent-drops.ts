import type { TelemetryReader } from '../store/telemetry-store';

const MINUTE = 60_000;
const TEN_MINUTES = 10 * MINUTE;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface AgentDrops {
  hour: number;
  day: number;
}

/**
 * Transactions each agent dropped over the last hour and the last day, by agent id. Each
 * 5-second counter carries the drops of its own slot, so this is a sum of `dropped`: the hour
 * from the minutes that start in it, the day from 10-minute buckets (the store reads them from its 10-minute
 * roll-ups where it keeps them, so the agent list stays cheap; the day then starts at the
 * 10 minutes before it).
 */
export async function agentDrops(telemetry: Pick<TelemetryReader, 'counters'>, pcode: string, now: number): Promise<Map<number, AgentDrops>> {
  const [hour, day] = await Promise.all([
    telemetry.counters(pcode, now - HOUR, now, undefined, MINUTE),
    telemetry.counters(pcode, now - DAY, now, undefined, TEN_MINUTES),
  ]);
  const out = new Map<number, AgentDrops>();
  const add = (agentId: number, field: keyof AgentDrops, n: number) => {
    const drops = out.get(agentId) ?? { hour: 0, day: 0 };
    drops[field] += n;
    out.set(agentId, drops);
  };
  for (const p of hour.points) if (p.dropped > 0 && p.time >= now - HOUR) add(p.agentId, 'hour', p.dropped);
  for (const p of day.points) if (p.dropped > 0) add(p.agentId, 'day', p.dropped);
  return out;
}
