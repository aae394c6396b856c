import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { membersQueryOptions } from './get-members';

/** Owners remove a member: their access to the project ends at once. */
export function useRemoveMember(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: number) => apiSend('DELETE', apiPaths.member(pcode, userId)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryOptions(pcode).queryKey }),
  });
}
