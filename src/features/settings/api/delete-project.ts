import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { projectQueryOptions, projectsQueryOptions } from '../../../lib/project-queries';

/** Deletes the project; `onDeleted` runs first so the page leaves before its data is dropped. */
export function useDeleteProject(pcode: string, onDeleted: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiSend('DELETE', apiPaths.project(pcode)),
    onSuccess: () => {
      onDeleted();
      // Everything cached under the project (keys, members, telemetry) goes with it.
      queryClient.removeQueries({ queryKey: projectQueryOptions(pcode).queryKey });
      return queryClient.invalidateQueries({ queryKey: projectsQueryOptions().queryKey, exact: true });
    },
  });
}
