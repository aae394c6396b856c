import { useMutation, useQueryClient } from '@tanstack/react-query';
import { alertTestResultSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

/** Sends a test notification now (one attempt) and answers how it went; the delivery logs then show it. */
export function useTestAlertChannel(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (channelId: number) =>
      (await apiRequest(alertTestResultSchema, 'POST', apiPaths.alertChannelTest(pcode, channelId))).delivery,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKey(pcode) }),
  });
}
