import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export function useDeleteAlertRule(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiSend('DELETE', apiPaths.alertRule(pcode, id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertsKey(pcode) }),
  });
}
