import { http, HttpResponse } from 'msw';
import type { Agent } from '../../src/api/agents';
import { routePatterns } from '../../src/api/paths';
import { MOCK_PCODE, seedAgents } from '../data/agents';
import { mockDropped, SAMPLE_MS, seedSample } from '../data/counters-seed';
import { requireMember } from '../db';

/** Fixed at load, like the seeds, so the inactive agent stopped at one instant. */
const EPOCH = Date.now();

/** The seeded agents as of `now`: active ones were just seen and carry their latest counters. */
export function mockAgents(now: number = Date.now()): Agent[] {
  const latest = seedSample(Math.floor((now - 1_000) / SAMPLE_MS) * SAMPLE_MS, now);
  return seedAgents(EPOCH).map((seeded) => {
    const dropped = {
      hour: mockDropped(seeded.id, now - 3_600_000, now, now),
      day: mockDropped(seeded.id, now - 86_400_000, now, now),
    };
    const agent = { ...seeded, dropped };
    if (agent.status !== 'active') return { ...agent, tps: null, respTime: null };
    const sample = latest.find((p) => p.agentId === agent.id);
    return {
      ...agent,
      lastSeen: new Date(now - 1_000).toISOString(),
      tps: sample?.tps ?? null,
      respTime: sample && sample.txCount > 0 ? sample.respTime : null,
    };
  });
}

export const agentsHandlers = [
  http.get(routePatterns.agents, ({ request, params }) => {
    const pcode = String(params.pcode);
    const access = requireMember(request, pcode);
    if (access instanceof Response) return access;
    return HttpResponse.json({ agents: pcode === MOCK_PCODE ? mockAgents() : [] });
  }),
];
