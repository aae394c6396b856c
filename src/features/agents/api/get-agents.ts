import { queryOptions, useQuery } from '@tanstack/react-query';
import { agentListSchema, type Agent } from '../../../api/agents';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';

/** The agents of a project, with status and latest counters. */
export async function getAgents(pcode: string): Promise<Agent[]> {
  const { agents } = await apiRequest(agentListSchema, 'GET', apiPaths.agents(pcode));
  return agents;
}

/** Agents send a heartbeat every few seconds; refreshing as often shows status changes promptly. */
export const AGENTS_REFRESH_MS = 5_000;

export function getAgentsQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['agents', { pcode }] as const,
    queryFn: () => getAgents(pcode),
    refetchInterval: AGENTS_REFRESH_MS,
  });
}

export function useAgents(pcode: string) {
  return useQuery(getAgentsQueryOptions(pcode));
}
