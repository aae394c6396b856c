import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { alertPreviewSchema, type CreateAlertRuleRequest } from '../../../api/alerts';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { alertsKey } from './alerts-key';

export type PreviewRange = '1h' | '1d';

/**
 * The rule's metric over the last hour or day and when it would have fired. A POST that changes
 * nothing, so it is a query: keyed by the draft, it follows the form as the user edits.
 */
export function alertPreviewQueryOptions(pcode: string, rule: CreateAlertRuleRequest | null, range: PreviewRange) {
  return queryOptions({
    queryKey: [...alertsKey(pcode), 'preview', { rule, range }] as const,
    queryFn: () => apiRequest(alertPreviewSchema, 'POST', apiPaths.alertPreview(pcode), { body: { rule, range } }),
    enabled: rule !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useAlertPreview(pcode: string, rule: CreateAlertRuleRequest | null, range: PreviewRange) {
  return useQuery(alertPreviewQueryOptions(pcode, rule, range));
}
