import { useMutation, useQueryClient } from '@tanstack/react-query';
import { meSchema, type CreateUserRequest } from '../../../api/auth';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { auditQueryKeyBase } from './get-audit';
import { usersQueryOptions } from './get-users';

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateUserRequest) =>
      (await apiRequest(meSchema, 'POST', apiPaths.users, { body: input })).user,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: usersQueryOptions().queryKey }),
        // The new user is in the audit log too; every limit's list is stale.
        queryClient.invalidateQueries({ queryKey: auditQueryKeyBase }),
      ]),
  });
}
