import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiRequest } from '../../../api/client';
import { meSchema, type User } from '../../../api/auth';
import { apiPaths } from '../../../api/paths';

/** Who is signed in: the user, or null when signed out (401 is an answer, not an error). */
export async function getMe(): Promise<User | null> {
  try {
    return (await apiRequest(meSchema, 'GET', apiPaths.me)).user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function meQueryOptions() {
  return queryOptions({ queryKey: ['me'] as const, queryFn: getMe, staleTime: 5 * 60_000 });
}

export function useMe() {
  return useQuery(meQueryOptions());
}
