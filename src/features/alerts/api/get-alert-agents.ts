import { queryOptions, useQuery } from '@tanstack/react-query';
import { agentListSchema } from '../../../api/agents';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

/** The project's agents, to scope a rule to some of them and to name them. */
export function alertAgentsQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'agents'] as const,
    queryFn: async () => (await apiRequest(agentListSchema, 'GET', apiPaths.agents(pcode))).agents,
  });
}

export function useAlertAgents(pcode: string) {
  return useQuery(alertAgentsQueryOptions(pcode));
}
