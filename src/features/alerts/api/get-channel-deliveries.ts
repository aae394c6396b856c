import { queryOptions, useQuery } from '@tanstack/react-query';
import { alertDeliveryListSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

/** The newest deliveries of a channel (tests, firing, repeats, resolutions, retries). */
export function channelDeliveriesQueryOptions(pcode: string, channelId: number, limit = 50) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'deliveries', { channelId, limit }] as const,
    queryFn: async ({ signal }) =>
      (
        await apiRequest(alertDeliveryListSchema, 'GET', apiPaths.alertChannelDeliveries(pcode, channelId), {
          query: { limit },
          signal,
        })
      ).deliveries,
    refetchInterval: 15_000,
  });
}

export function useChannelDeliveries(pcode: string, channelId: number, limit = 50) {
  return useQuery(channelDeliveriesQueryOptions(pcode, channelId, limit));
}
