import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { memberResponseSchema, type ProjectRole } from '../../../api/projects';
import { projectQueryOptions } from '../../../lib/project-queries';

/** Owners change a member's role; the member's next request already has the new one. */
export function useUpdateMemberRole(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, role }: { userId: number; role: ProjectRole }) =>
      (await apiRequest(memberResponseSchema, 'PATCH', apiPaths.member(pcode, userId), { body: { role } })).member,
    // The project's key is the members list's prefix: an owner who steps down sees their own
    // new role (a read-only page) as well as the list.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectQueryOptions(pcode).queryKey }),
  });
}
