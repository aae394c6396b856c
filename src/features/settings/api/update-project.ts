import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { projectResponseSchema, type UpdateProjectRequest } from '../../../api/projects';
import { projectQueryOptions, projectsQueryOptions } from '../../../lib/project-queries';

export function useUpdateProject(pcode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (patch: UpdateProjectRequest) =>
      (await apiRequest(projectResponseSchema, 'PATCH', apiPaths.project(pcode), { body: patch })).project,
    onSuccess: (project) => {
      queryClient.setQueryData(projectQueryOptions(pcode).queryKey, project);
      return queryClient.invalidateQueries({ queryKey: projectsQueryOptions().queryKey, exact: true });
    },
  });
}
