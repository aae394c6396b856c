import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { meSchema, type SignInRequest } from '../../../api/auth';
import { apiPaths } from '../../../api/paths';
import { meQueryOptions } from './get-me';
import { setupStatusQueryOptions } from './get-setup-status';

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInRequest) => apiRequest(meSchema, 'POST', apiPaths.session, { body: input }),
    onSuccess: ({ user }) => {
      // Nothing cached under a previous session may show through to this user.
      const setup = queryClient.getQueryData(setupStatusQueryOptions().queryKey);
      queryClient.removeQueries();
      if (setup) queryClient.setQueryData(setupStatusQueryOptions().queryKey, setup);
      queryClient.setQueryData(meQueryOptions().queryKey, user);
    },
  });
}
