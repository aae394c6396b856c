import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { memberListSchema } from '../../../api/projects';

export function membersQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['projects', pcode, 'members'] as const,
    queryFn: async ({ signal }) => (await apiRequest(memberListSchema, 'GET', apiPaths.members(pcode), { signal })).members,
  });
}

export function useMembers(pcode: string) {
  return useQuery(membersQueryOptions(pcode));
}
