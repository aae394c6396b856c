import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import { apiPaths } from '../api/paths';
import { projectListSchema, projectResponseSchema } from '../api/projects';
import { regionListSchema } from '../api/regions';

/**
 * Reads several features share (the shell, projects, install, settings). Their query
 * keys are written once here; mutations elsewhere invalidate through these options.
 */
export function projectsQueryOptions() {
  return queryOptions({
    queryKey: ['projects'] as const,
    queryFn: async () => (await apiRequest(projectListSchema, 'GET', apiPaths.projects)).projects,
  });
}

export function projectQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['projects', pcode] as const,
    queryFn: async () => (await apiRequest(projectResponseSchema, 'GET', apiPaths.project(pcode))).project,
  });
}

export function regionsQueryOptions() {
  return queryOptions({
    queryKey: ['regions'] as const,
    queryFn: async () => (await apiRequest(regionListSchema, 'GET', apiPaths.regions)).regions,
    // Regions come from the collector's config file: they change only on a restart.
    staleTime: 10 * 60_000,
  });
}
