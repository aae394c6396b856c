import type { VisibleTraceNode } from '../../src/api/traces';
import type { Step, TransactionProfile } from '../../src/api/transactions';
import { MOCK_PCODE } from './agents';

/** The seeded trace: a checkout through the demo shop, the Billing API project's charge, and back. */
export const MOCK_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const BILLING_PCODE = 'billapi2';
/** Fixed at load, so the trace and its profiles show the same times for the whole session. */
const LOADED = Date.now();

type Seeded = Omit<VisibleTraceNode, 'projectName'>;

/**
 * Every transaction of the seeded trace, as a member of every project sees it, ending a minute
 * before `now`: `/checkout` on agent 1 calls the stock service (agent 2) and the Billing API's
 * `/charge`, which calls the demo shop's `/orders/{id}/paid` back (agent 3).
 */
export function seedTraceNodes(now: number = LOADED): Seeded[] {
  const t0 = Math.floor(now / 1000) * 1000 - 60_000;
  const shop = { hidden: false as const, pcode: MOCK_PCODE, method: 'POST' };
  return [
    {
      ...shop, id: 0, parent: null, depth: 0, parentCall: null, txid: 'trace0checkout', agentId: 1,
      objectName: 'shop-0-11-gunicorn', url: '/checkout', status: 302, error: null, start: t0, end: t0 + 412.6,
      elapsed: 412.6, spanId: 'a3ce929d0e0e4736', parentSpanId: null,
      calls: [
        { spanId: '00f067aa0ba902b7', url: 'http://stock.internal:8000/reserve', start: 21.4, elapsed: 88.2, status: 200, error: null },
        { spanId: '53995c3f42cd8ad8', url: 'https://billing.internal/charge', start: 118.9, elapsed: 251.3, status: 200, error: null },
      ],
    },
    {
      ...shop, id: 1, parent: 0, depth: 1, parentCall: 0, txid: 'trace0reserve0', agentId: 2,
      objectName: 'shop-0-12-gunicorn', url: '/reserve', status: 200, error: null, start: t0 + 24.1, end: t0 + 107.9,
      elapsed: 83.8, spanId: 'b7ad6b7169203331', parentSpanId: '00f067aa0ba902b7', calls: [],
    },
    {
      hidden: false, pcode: BILLING_PCODE, method: 'POST', id: 2, parent: 0, depth: 1, parentCall: 1,
      txid: 'trace0charge00', agentId: 1, objectName: 'billing-0-21-uvicorn', url: '/charge', status: 200, error: null,
      start: t0 + 123.0, end: t0 + 366.4, elapsed: 243.4, spanId: '1d2c3b4a59687766', parentSpanId: '53995c3f42cd8ad8',
      calls: [
        { spanId: '5f2c3a1b9d8e7f60', url: 'http://shop.internal/orders/1842/paid', start: 176.2, elapsed: 52.9, status: 500, error: null },
      ],
    },
    {
      ...shop, id: 3, parent: 2, depth: 2, parentCall: 0, txid: 'trace0paid0000', agentId: 3,
      objectName: 'shop-0-13-uwsgi', url: '/orders/{id}/paid', status: 500, error: 'IntegrityError', start: t0 + 301.5,
      end: t0 + 349.0, elapsed: 47.5, spanId: 'e457b5a2e4d86bd1', parentSpanId: '5f2c3a1b9d8e7f60', calls: [],
    },
  ];
}

/**
 * The profile of one transaction of the seeded trace (null for any other): its handler, its
 * HTTP calls carrying the span ids the callees name as parent, its error; trace context set.
 */
export function seedTraceProfile(pcode: string, txid: string): TransactionProfile | null {
  const node = seedTraceNodes().find((n) => n.pcode === pcode && n.txid === txid);
  if (!node) return null;
  const { hidden: _h, id: _i, parent: _p, depth: _d, parentCall: _c, pcode: _pc, calls, spanId, parentSpanId, ...summary } = node;
  const steps: Step[] = [
    { kind: 'method', start: 0.3, elapsed: node.elapsed - 0.6, text: `${node.objectName.split('-')[0]}.views:${node.url.split('/')[1]}`, depth: 0 },
    ...calls.map((c): Step => ({ kind: 'httpc', start: c.start, elapsed: c.elapsed, text: c.url, status: c.status, error: c.error, depth: 1, spanId: c.spanId })),
  ];
  if (node.error) steps.push({ kind: 'error', start: node.elapsed - 1, elapsed: 0, text: node.error, error: 'duplicate key value violates unique constraint "payments_order_id_key"', depth: 1 });
  const httpcTime = calls.reduce((sum, c) => sum + c.elapsed, 0);
  return {
    transaction: {
      ...summary,
      sqlCount: 0,
      sqlTime: 0,
      httpcCount: calls.length,
      httpcTime: Math.round(httpcTime * 10) / 10,
      cpu: Math.round(node.elapsed * 0.2 * 10) / 10,
      clientIp: node.parent === null ? '203.0.113.7' : '10.0.0.12',
      userAgent: node.parent === null ? 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36' : 'python-httpx/0.27.0',
      errorMessage: node.error ? 'duplicate key value violates unique constraint "payments_order_id_key"' : null,
      errorStack: null,
      params: null,
      traceId: MOCK_TRACE_ID,
      ...(spanId ? { spanId } : {}),
      ...(parentSpanId ? { parentSpanId } : {}),
    },
    steps,
  };
}
