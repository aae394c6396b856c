import { useMutation, useQueryClient } from '@tanstack/react-query';
import { alertTestResultSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { channelDeliveriesQueryOptions } from './get-channel-deliveries';

/** Sends a test notification now (one attempt) and answers how it went. */
export function useTestAlertChannel(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (channelId: number) =>
      (await apiRequest(alertTestResultSchema, 'POST', apiPaths.alertChannelTest(pcode, channelId))).delivery,
    onSuccess: (delivery) =>
      queryClient.invalidateQueries({ queryKey: channelDeliveriesQueryOptions(pcode, delivery.channelId).queryKey }),
  });
}
