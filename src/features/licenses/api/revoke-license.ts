import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { licensesQueryOptions } from './get-licenses';

export function useRevokeLicense(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend('DELETE', apiPaths.license(pcode, id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: licensesQueryOptions(pcode).queryKey }),
  });
}
