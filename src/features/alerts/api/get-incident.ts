import { queryOptions, useQuery } from '@tanstack/react-query';
import { incidentDetailSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function incidentQueryOptions(pcode: string, id: number) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'incident', id] as const,
    queryFn: async ({ signal }) => (await apiRequest(incidentDetailSchema, 'GET', apiPaths.incident(pcode, id), { signal })).incident,
    refetchInterval: 15_000,
  });
}

export function useIncident(pcode: string, id: number) {
  return useQuery(incidentQueryOptions(pcode, id));
}
