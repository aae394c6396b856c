import { queryOptions, useQuery } from '@tanstack/react-query';
import { alertChannelListSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function alertChannelsQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'channels'] as const,
    queryFn: async ({ signal }) => (await apiRequest(alertChannelListSchema, 'GET', apiPaths.alertChannels(pcode), { signal })).channels,
  });
}

export function useAlertChannels(pcode: string) {
  return useQuery(alertChannelsQueryOptions(pcode));
}
