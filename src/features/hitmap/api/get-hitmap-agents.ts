import { queryOptions, useQuery } from '@tanstack/react-query';
import { agentListSchema, type Agent } from '../../../api/agents';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';

/** The project's agents, for the hitmap's agent filter. */
export async function getHitmapAgents(pcode: string): Promise<Agent[]> {
  const { agents } = await apiRequest(agentListSchema, 'GET', apiPaths.agents(pcode));
  return agents;
}

export function getHitmapAgentsQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['hitmap-agents', { pcode }],
    queryFn: () => getHitmapAgents(pcode),
    staleTime: 60_000,
  });
}

export function useHitmapAgents(pcode: string) {
  return useQuery(getHitmapAgentsQueryOptions(pcode));
}
