import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { transactionListSchema, type TransactionList, type TransactionQuery } from '../../../api/transactions';

/** WhaTap opens up to 1,000 transactions of a dragged area; the answer's `total` tells the rest. */
export const SELECTION_LIST_LIMIT = 1000;

export interface TransactionListParams {
  pcode: string;
  from: number;
  to: number;
  minElapsed?: number;
  maxElapsed?: number;
  agentId?: number;
  url?: string;
  errorsOnly?: boolean;
  /** The server's order decides which rows survive the cap: newest, or slowest. */
  sort: 'end' | 'elapsed';
}

/** The transactions of a hitmap selection (GET …/transactions). */
export async function getTransactionList(p: TransactionListParams, signal?: AbortSignal): Promise<TransactionList> {
  const query: TransactionQuery = {
    from: Math.floor(p.from),
    to: Math.ceil(p.to),
    minElapsed: p.minElapsed || undefined,
    maxElapsed: p.maxElapsed,
    agent: p.agentId,
    url: p.url,
    error: p.errorsOnly ? 'true' : undefined,
    limit: SELECTION_LIST_LIMIT,
    sort: p.sort,
  };
  return apiRequest(transactionListSchema, 'GET', apiPaths.transactions(p.pcode), { query, signal });
}

export function getTransactionListQueryOptions(p: TransactionListParams) {
  return queryOptions({
    queryKey: ['transactions', 'list', p],
    queryFn: ({ signal }) => getTransactionList(p, signal),
    placeholderData: keepPreviousData,
    // A past window does not change: no refetch while the selection stays.
    staleTime: 60_000,
  });
}

export function useTransactionList(p: TransactionListParams | null) {
  return useQuery({
    ...getTransactionListQueryOptions(p ?? { pcode: '', from: 0, to: 0, sort: 'end' }),
    enabled: p !== null,
  });
}
