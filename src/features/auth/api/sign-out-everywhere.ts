import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { meQueryOptions } from './get-me';

/** Ends every session of the signed-in user (every browser and device), this one included. */
export function useSignOutEverywhere() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await apiSend('DELETE', apiPaths.sessions);
      } catch (error) {
        // Already signed out here: nothing of this browser's is left to end.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryOptions().queryKey, null);
    },
  });
}
