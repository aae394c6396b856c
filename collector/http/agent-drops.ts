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
 * minutes of each period, read by the store from the rows that have drops only.
 */
export async function agentDrops(
  telemetry: Pick<TelemetryStore, 'droppedByAgent'>,
  pcode: string,
  now: number,
): Promise<Map<number, AgentDrops>> {
  const [hour, day] = await Promise.all([
    telemetry.droppedByAgent(pcode, now - HOUR, now),
    telemetry.droppedByAgent(pcode, now - DAY, now),
  ]);
  const out = new Map<number, AgentDrops>();
  for (const [agentId, n] of day) out.set(agentId, { hour: hour.get(agentId) ?? 0, day: n });
  return out;
}
