import { useMutation, useQueryClient } from '@tanstack/react-query';
import { incidentDetailSchema } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';
import { incidentQueryOptions } from './get-incident';

/** Acknowledges an incident (owner or member): it stays open, with who took it. */
export function useAcknowledgeIncident(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) =>
      (await apiRequest(incidentDetailSchema, 'POST', apiPaths.incidentAck(pcode, id))).incident,
    onSuccess: (incident) => {
      queryClient.setQueryData(incidentQueryOptions(pcode, incident.id).queryKey, incident);
      return queryClient.invalidateQueries({ queryKey: alertsKey(pcode) });
    },
  });
}
