import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import type { AddMemberRequest } from '../../../api/projects';
import { membersQueryOptions } from './get-members';

export function useAddMember(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AddMemberRequest) => apiSend('POST', apiPaths.members(pcode), input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryOptions(pcode).queryKey }),
  });
}
