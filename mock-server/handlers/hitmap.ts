import { http, HttpResponse } from 'msw';
import { encodeHitmap, HITMAP_CONTENT_TYPE, hitmapQuerySchema, type HitmapPoint } from '../../src/api/hitmap';
import { routePatterns } from '../../src/api/paths';
import { MOCK_PCODE } from '../data/agents';
import { seedCursor, seedTransactions } from '../data/transactions-seed';
import { requireMember, validationError } from '../db';

/**
 * GET hitmap: the seeded transactions as columnar binary. Like the collector, without a
 * cursor it answers the newest `limit` points of [from, to]; with one, only what is newer.
 * The seed's cursor is a time: every second before it is complete. Other projects are empty.
 */
export const hitmapHandlers = [
  http.get(routePatterns.hitmap, ({ request, params }) => {
    const pcode = String(params.pcode);
    const access = requireMember(request, pcode);
    if (access instanceof Response) return access;
    const parsed = hitmapQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) return validationError(parsed.error);
    const q = parsed.data;
    const now = Date.now();
    const from = q.cursor === undefined ? q.from : Math.max(q.from, q.cursor);
    let txs = pcode !== MOCK_PCODE ? [] : seedTransactions(from, q.to, now).filter(
      (tx) =>
        (q.agent === undefined || tx.agentId === q.agent) &&
        (q.url === undefined || tx.url === q.url) &&
        (q.error === undefined || (tx.error !== null) === (q.error === 'true')),
    );
    if (txs.length > q.limit) txs = txs.sort((a, b) => b.end - a.end).slice(0, q.limit);
    const points: HitmapPoint[] = txs.map((tx) => ({
      end: tx.end,
      elapsed: tx.elapsed,
      agentId: tx.agentId,
      error: tx.error !== null,
    }));
    const body = encodeHitmap(points, Math.max(q.cursor ?? 0, seedCursor(now)));
    return new HttpResponse(body.buffer as ArrayBuffer, { headers: { 'content-type': HITMAP_CONTENT_TYPE } });
  }),
];
