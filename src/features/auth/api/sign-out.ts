import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { meQueryOptions } from './get-me';

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await apiSend('DELETE', apiPaths.session);
      } catch (error) {
        // An expired session is already signed out.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryOptions().queryKey, null);
    },
  });
}
