import { useMutation, useQueryClient } from '@tanstack/react-query';
import { silenceResponseSchema, type CreateSilenceRequest } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function useCreateSilence(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateSilenceRequest) =>
      (await apiRequest(silenceResponseSchema, 'POST', apiPaths.silences(pcode), { body: input })).silence,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKey(pcode) }),
  });
}
