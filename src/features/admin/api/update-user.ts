import { useMutation, useQueryClient } from '@tanstack/react-query';
import { meSchema } from '../../../api/auth';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { auditQueryKeyBase } from './get-audit';
import { usersQueryOptions } from './get-users';

/** Disables (their sessions end at once) or enables a user. */
export function useSetUserDisabled() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, disabled }: { id: number; disabled: boolean }) =>
      (await apiRequest(meSchema, 'PATCH', apiPaths.user(id), { body: { disabled } })).user,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: usersQueryOptions().queryKey }),
        queryClient.invalidateQueries({ queryKey: auditQueryKeyBase }),
      ]),
  });
}
