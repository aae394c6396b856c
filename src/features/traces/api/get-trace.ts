import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { tracePath, traceSchema, type Trace } from '../../../api/traces';

/** One trace across services: the transactions the user may see, the others as hidden nodes. */
export async function getTrace(traceId: string, signal?: AbortSignal): Promise<Trace> {
  return apiRequest(traceSchema, 'GET', tracePath(traceId), { signal });
}

export function getTraceQueryOptions(traceId: string) {
  return queryOptions({
    queryKey: ['traces', { traceId }],
    queryFn: ({ signal }) => getTrace(traceId, signal),
  });
}

export function useTrace(traceId: string) {
  return useQuery(getTraceQueryOptions(traceId));
}
