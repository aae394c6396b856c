import { queryOptions, useQuery } from '@tanstack/react-query';
import { alertRuleListSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function alertRulesQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'rules'] as const,
    queryFn: async ({ signal }) => (await apiRequest(alertRuleListSchema, 'GET', apiPaths.alertRules(pcode), { signal })).rules,
    // A rule's state changes with each evaluation cycle (10 s by default).
    refetchInterval: 15_000,
  });
}

export function useAlertRules(pcode: string) {
  return useQuery(alertRulesQueryOptions(pcode));
}
