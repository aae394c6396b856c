import { queryOptions, useQuery } from '@tanstack/react-query';
import { silenceListSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function silencesQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'silences'] as const,
    queryFn: async ({ signal }) => (await apiRequest(silenceListSchema, 'GET', apiPaths.silences(pcode), { signal })).silences,
  });
}

export function useSilences(pcode: string) {
  return useQuery(silencesQueryOptions(pcode));
}
