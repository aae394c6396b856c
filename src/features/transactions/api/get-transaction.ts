import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { transactionProfileSchema, type TransactionProfile } from '../../../api/transactions';

/** One transaction profile: summary, steps, encrypted parameters. */
export async function getTransaction(pcode: string, txid: string, signal?: AbortSignal): Promise<TransactionProfile> {
  return apiRequest(transactionProfileSchema, 'GET', apiPaths.transaction(pcode, txid), { signal });
}

export function getTransactionQueryOptions(pcode: string, txid: string) {
  return queryOptions({
    queryKey: ['transactions', 'profile', { pcode, txid }],
    queryFn: ({ signal }) => getTransaction(pcode, txid, signal),
    // A stored profile never changes.
    staleTime: Infinity,
  });
}

export function useTransaction(pcode: string, txid: string) {
  return useQuery(getTransactionQueryOptions(pcode, txid));
}
