import type { VisibleTraceNode } from '../../src/api/traces';
import { MOCK_PCODE } from './agents';

/** The seeded trace: a checkout through the demo shop, the Billing API project's charge, and back. */
export const MOCK_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const BILLING_PCODE = 'billapi2';

type Seeded = Omit<VisibleTraceNode, 'projectName'>;

/**
 * Every transaction of the seeded trace, as a member of every project sees it, ending a minute
 * before `now`: `/checkout` on agent 1 calls the stock service (agent 2) and the Billing API's
 * `/charge`, which calls the demo shop's `/orders/{id}/paid` back (agent 3).
 */
export function seedTraceNodes(now: number = Date.now()): Seeded[] {
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
