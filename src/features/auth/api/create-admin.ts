import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { meSchema, type SetupRequest, type User } from '../../../api/auth';
import { apiPaths } from '../../../api/paths';
import { getMe, meQueryOptions } from './get-me';
import { setupStatusQueryOptions } from './get-setup-status';

/**
 * Creates the first admin. Setup normally signs the new admin in; if the server did not
 * start a session, sign in with the same credentials so the user lands in the console.
 */
async function createAdmin(input: SetupRequest): Promise<User> {
  const { user } = await apiRequest(meSchema, 'POST', apiPaths.setup, { body: input });
  if (await getMe()) return user;
  const { username, password } = input;
  return (await apiRequest(meSchema, 'POST', apiPaths.session, { body: { username, password } })).user;
}

export function useCreateAdmin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAdmin,
    onSuccess: (user) => {
      queryClient.setQueryData(setupStatusQueryOptions().queryKey, { needsSetup: false });
      queryClient.setQueryData(meQueryOptions().queryKey, user);
    },
  });
}
