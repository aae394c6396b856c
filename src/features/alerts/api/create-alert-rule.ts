import { useMutation, useQueryClient } from '@tanstack/react-query';
import { alertRuleResponseSchema, type CreateAlertRuleRequest } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function useCreateAlertRule(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateAlertRuleRequest) =>
      (await apiRequest(alertRuleResponseSchema, 'POST', apiPaths.alertRules(pcode), { body: input })).rule,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKey(pcode) }),
  });
}
