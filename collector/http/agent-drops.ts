import type { TelemetryStore } from '../store/telemetry-store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface AgentDrops {
  hour: number;
  day: number;
}

/**
 * Transactions each agent dropped over the last hour and the last day, by agent id. Each
 * 5-second counter carries the drops of its own slot, so this is a sum of `dropped` over the
 * day's per-minute roll-ups (one query; the hour is the minutes of its last 60).
 */
export async function agentDrops(telemetry: TelemetryStore, pcode: string, now: number): Promise<Map<number, AgentDrops>> {
  const { points } = await telemetry.counters(pcode, now - DAY, now);
  const out = new Map<number, AgentDrops>();
  for (const p of points) {
    if (p.dropped <= 0) continue;
    const drops = out.get(p.agentId) ?? { hour: 0, day: 0 };
    drops.day += p.dropped;
    if (p.time >= now - HOUR) drops.hour += p.dropped;
    out.set(p.agentId, drops);
  }
  return out;
}
