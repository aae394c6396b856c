import { useMutation, useQueryClient } from '@tanstack/react-query';
import { alertRuleResponseSchema, type UpdateAlertRuleRequest } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

/** Changes a rule (any subset, e.g. `{enabled: false}`); a changed condition resolves its open incidents. */
export function useUpdateAlertRule(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, patch }: { id: number; patch: UpdateAlertRuleRequest }) =>
      (await apiRequest(alertRuleResponseSchema, 'PATCH', apiPaths.alertRule(pcode, id), { body: patch })).rule,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKey(pcode) }),
  });
}
