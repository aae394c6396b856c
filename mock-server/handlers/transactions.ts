import { http, HttpResponse } from 'msw';
import { errorCodes } from '../../src/api/errors';
import { routePatterns } from '../../src/api/paths';
import { transactionQuerySchema, type TransactionList } from '../../src/api/transactions';
import { MOCK_PCODE } from '../data/agents';
import { seedTraceProfile } from '../data/traces-seed';
import { seedProfile, seedTransactions, toSummary } from '../data/transactions-seed';
import { apiError, requireMember, validationError } from '../db';

/** The transaction list of a hitmap selection, and single profiles, over the seed. */
export const transactionsHandlers = [
  http.get(routePatterns.transactions, ({ request, params }) => {
    const pcode = String(params.pcode);
    const access = requireMember(request, pcode);
    if (access instanceof Response) return access;
    const parsed = transactionQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) return validationError(parsed.error);
    const f = parsed.data;
    const matching = pcode !== MOCK_PCODE ? [] : seedTransactions(f.from, f.to).filter(
      (tx) =>
        (f.minElapsed === undefined || tx.elapsed >= f.minElapsed) &&
        (f.maxElapsed === undefined || tx.elapsed <= f.maxElapsed) &&
        (f.agent === undefined || tx.agentId === f.agent) &&
        (f.url === undefined || tx.url === f.url) &&
        (f.error === undefined || (tx.error !== null) === (f.error === 'true')),
    );
    matching.sort(f.sort === 'elapsed' ? (a, b) => b.elapsed - a.elapsed : (a, b) => b.end - a.end);
    const body: TransactionList = { transactions: matching.slice(0, f.limit).map(toSummary), total: matching.length };
    return HttpResponse.json(body);
  }),

  http.get(routePatterns.transaction, async ({ request, params }) => {
    const pcode = String(params.pcode);
    const access = requireMember(request, pcode);
    if (access instanceof Response) return access;
    const txid = String(params.txid);
    const profile = seedTraceProfile(pcode, txid) ?? (pcode === MOCK_PCODE ? await seedProfile(txid) : null);
    if (!profile) {
      return apiError(404, errorCodes.notFound, 'No such transaction. It may be older than the retention period.');
    }
    return HttpResponse.json(profile);
  }),
];
