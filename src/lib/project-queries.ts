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
    queryFn: async ({ signal }) => (await apiRequest(projectListSchema, 'GET', apiPaths.projects, { signal })).projects,
  });
}

export function projectQueryOptions(pcode: string) {
  return queryOptions({
    queryKey: ['projects', pcode] as const,
    queryFn: async ({ signal }) => (await apiRequest(projectResponseSchema, 'GET', apiPaths.project(pcode), { signal })).project,
  });
}

export function regionsQueryOptions() {
  return queryOptions({
    queryKey: ['regions'] as const,
    queryFn: async ({ signal }) => (await apiRequest(regionListSchema, 'GET', apiPaths.regions, { signal })).regions,
    // Regions come from the collector's config file: they change only on a restart.
    staleTime: 10 * 60_000,
  });
}
