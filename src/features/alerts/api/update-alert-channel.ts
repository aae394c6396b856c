import { useMutation, useQueryClient } from '@tanstack/react-query';
import { alertChannelResponseSchema, type UpdateAlertChannelRequest } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

/** Changes a channel; an omitted secret, password or Slack URL keeps the stored one. */
export function useUpdateAlertChannel(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    gcTime: 0,
    mutationFn: async ({ id, patch }: { id: number; patch: UpdateAlertChannelRequest }) =>
      (await apiRequest(alertChannelResponseSchema, 'PATCH', apiPaths.alertChannel(pcode, id), { body: patch })).channel,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKey(pcode) }),
  });
}
