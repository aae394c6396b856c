import { queryOptions, useQuery } from '@tanstack/react-query';
import { agentListSchema, type Agent } from '../api/agents';
import { apiRequest } from '../api/client';
import { apiPaths } from '../api/paths';

/**
 * GET /agents, the one read of a project's agents (status and latest counters) that the agents
 * page, the dashboard, the hitmap and the alert rules share: one cache entry per project, one
 * freshness. Agents send a heartbeat every few seconds; refreshing as often shows status changes
 * promptly, and the request is small.
 */
export const AGENTS_REFRESH_MS = 5_000;

/** The agents of a project, with status and latest counters. */
export async function getAgents(pcode: string, signal?: AbortSignal): Promise<Agent[]> {
  const { agents } = await apiRequest(agentListSchema, 'GET', apiPaths.agents(pcode), { signal });
  return agents;
}

export function getAgentsQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['agents', { pcode }] as const,
    queryFn: ({ signal }) => getAgents(pcode, signal),
    staleTime: AGENTS_REFRESH_MS,
    refetchInterval: AGENTS_REFRESH_MS,
  });
}

export function useAgents(pcode: string) {
  return useQuery(getAgentsQueryOptions(pcode));
}
