import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { auditQueryKeyBase } from './get-audit';
import { usersQueryOptions } from './get-users';

/** Deletes a user with their sessions and project memberships. */
export function useDeleteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend('DELETE', apiPaths.user(id)),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: usersQueryOptions().queryKey }),
        queryClient.invalidateQueries({ queryKey: auditQueryKeyBase }),
      ]),
  });
}
