import { queryOptions, useQuery } from '@tanstack/react-query';
import { alertSummarySchema } from '../api/alerts';
import { apiRequest } from '../api/client';
import { apiPaths } from '../api/paths';

/**
 * Open incidents per project (count and worst severity), shared by the project list, the
 * project navigation and the dashboard; one request for all of them.
 */
export function alertSummaryQueryOptions() {
  return queryOptions({
    queryKey: ['alerts', 'summary'] as const,
    queryFn: async ({ signal }) => (await apiRequest(alertSummarySchema, 'GET', apiPaths.alertSummary, { signal })).projects,
    refetchInterval: 30_000,
    staleTime: 10_000,
  });
}

/** The open incidents of one project, or undefined when it has none (or while loading). */
export function useOpenIncidents(pcode: string) {
  return useQuery({ ...alertSummaryQueryOptions(), select: (rows) => rows.find((r) => r.pcode === pcode) });
}
