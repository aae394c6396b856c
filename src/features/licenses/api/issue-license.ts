import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { createdLicenseSchema, type CreateLicenseRequest } from '../../../api/licenses';
import { apiPaths } from '../../../api/paths';
import { licensesQueryOptions } from './get-licenses';

/** Issues a key. The answer holds the full key: keep it in memory only, show it once. */
export function useIssueLicense(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // Drop the answer (it holds the key) from the mutation cache as soon as the page lets go of it.
    gcTime: 0,
    mutationFn: (input: CreateLicenseRequest) =>
      apiRequest(createdLicenseSchema, 'POST', apiPaths.licenses(pcode), { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: licensesQueryOptions(pcode).queryKey }),
  });
}
