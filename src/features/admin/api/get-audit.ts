import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { auditListSchema, type AuditQuery } from '../../../api/audit';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';

/** The prefix of every audit list's key, whatever its limit (for invalidation). */
export const auditQueryKeyBase = ['admin', 'audit'] as const;

/** The newest audit log entries (administrators only). */
export function auditQueryOptions(params: AuditQuery) {
  return queryOptions({
    queryKey: [...auditQueryKeyBase, params] as const,
    queryFn: async ({ signal }) => (await apiRequest(auditListSchema, 'GET', apiPaths.audit, { query: params, signal })).entries,
    // Showing more keeps the rows already on screen while the longer list loads.
    placeholderData: keepPreviousData,
  });
}

export function useAudit(params: AuditQuery) {
  return useQuery(auditQueryOptions(params));
}
