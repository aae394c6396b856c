import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { userListSchema } from '../../../api/auth';
import { apiPaths } from '../../../api/paths';

/** Every user of the installation (administrators only: others get 403). */
export function usersQueryOptions() {
  return queryOptions({
    queryKey: ['admin', 'users'] as const,
    queryFn: async ({ signal }) => (await apiRequest(userListSchema, 'GET', apiPaths.users, { signal })).users,
  });
}

export function useUsers() {
  return useQuery(usersQueryOptions());
}
