import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { incidentListSchema, type IncidentQuery } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function incidentsQueryOptions(pcode: string, filter: IncidentQuery) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'incidents', filter] as const,
    queryFn: async ({ signal }) =>
      (await apiRequest(incidentListSchema, 'GET', apiPaths.incidents(pcode), { query: { ...filter }, signal })).incidents,
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}

export function useIncidents(pcode: string, filter: IncidentQuery) {
  return useQuery(incidentsQueryOptions(pcode, filter));
}
