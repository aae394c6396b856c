import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { licenseListSchema } from '../../../api/licenses';
import { apiPaths } from '../../../api/paths';

export function licensesQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['projects', pcode, 'licenses'] as const,
    queryFn: async ({ signal }) => (await apiRequest(licenseListSchema, 'GET', apiPaths.licenses(pcode), { signal })).licenses,
  });
}

export function useLicenses(pcode: string) {
  return useQuery(licensesQueryOptions(pcode));
}
