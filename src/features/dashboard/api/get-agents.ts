import { queryOptions, useQuery } from '@tanstack/react-query';
import { agentListSchema, type Agent } from '../../../api/agents';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';

/** The project's agents, for the dashboard's agent picker and per-agent labels. */
export async function getDashboardAgents(pcode: string): Promise<Agent[]> {
  const { agents } = await apiRequest(agentListSchema, 'GET', apiPaths.agents(pcode));
  return agents;
}

export function getDashboardAgentsQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['dashboard-agents', { pcode }] as const,
    queryFn: () => getDashboardAgents(pcode),
    refetchInterval: 15_000,
  });
}

export function useDashboardAgents(pcode: string) {
  return useQuery(getDashboardAgentsQueryOptions(pcode));
}
