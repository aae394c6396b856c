import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { setupStatusSchema } from '../../../api/auth';
import { apiPaths } from '../../../api/paths';

export function setupStatusQueryOptions() {
  return queryOptions({
    queryKey: ['setup-status'] as const,
    queryFn: () => apiRequest(setupStatusSchema, 'GET', apiPaths.setup),
    staleTime: 5 * 60_000,
  });
}

export function useSetupStatus() {
  return useQuery(setupStatusQueryOptions());
}
