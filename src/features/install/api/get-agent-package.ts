import { queryOptions, useQuery } from '@tanstack/react-query';
import { agentPackagePath, agentPackageSchema } from '../../../api/agent-package';
import { apiRequest } from '../../../api/client';

/** The agent package this collector serves; its URLs made absolute with the console's origin. */
export function agentPackageQueryOptions() {
  return queryOptions({
    queryKey: ['agent-package'] as const,
    queryFn: async () => {
      const info = await apiRequest(agentPackageSchema, 'GET', agentPackagePath);
      return { version: info.version, url: new URL(info.url, window.location.origin).href };
    },
    staleTime: Infinity,
  });
}

export function useAgentPackage() {
  return useQuery(agentPackageQueryOptions());
}
