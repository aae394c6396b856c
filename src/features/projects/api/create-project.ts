import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { projectResponseSchema, type CreateProjectRequest } from '../../../api/projects';
import { projectQueryOptions, projectsQueryOptions } from '../../../lib/project-queries';

export async function createProject(input: CreateProjectRequest) {
  return (await apiRequest(projectResponseSchema, 'POST', apiPaths.projects, { body: input })).project;
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createProject,
    onSuccess: (project) => {
      queryClient.setQueryData(projectQueryOptions(project.pcode).queryKey, project);
      return queryClient.invalidateQueries({ queryKey: projectsQueryOptions().queryKey, exact: true });
    },
  });
}
