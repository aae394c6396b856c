import { useMutation, useQueryClient } from '@tanstack/react-query';
import { alertChannelResponseSchema, type CreateAlertChannelRequest } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function useCreateAlertChannel(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // The request carries the secret: keep no copy of it in the mutation cache.
    gcTime: 0,
    mutationFn: async (input: CreateAlertChannelRequest) =>
      (await apiRequest(alertChannelResponseSchema, 'POST', apiPaths.alertChannels(pcode), { body: input })).channel,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKey(pcode) }),
  });
}
