import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../../src/api/paths';
import { traceSchema, tracePath, type VisibleTraceNode } from '../../../src/api/traces';
import type { ApiClient } from '../../testing/api-client';
import { makeTransaction } from '../../testing/telemetry-records';
import { createUserClient, setupAdmin, startTestCollector, type TestCollector } from '../../testing/test-collector';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);

let c: TestCollector;
let admin: ApiClient;
let shop: string;
let payments: string;

const call = (spanId: string, url: string, start: number) =>
  ({ kind: 'httpc', start, elapsed: 30, text: url, status: 200, depth: 0, spanId }) as const;

/** front (Shop) → pay (Payments) → ledger (Shop), and front → a call to a host outside Tapscope. */
async function writeTrace(): Promise<void> {
  await c.telemetry.writeTransactions([
    makeTransaction({
      txid: 'front-000001', pcode: shop, agentId: 1, objectName: 'shop-web', end: T0 + 100, elapsed: 100, url: '/checkout',
      traceId: TRACE, spanId: '1000000000000001', parentSpanId: '9999999999999999',
      steps: [call('1000000000000002', 'https://maps.example.com/geo', 5), call('1000000000000003', 'http://pay.local/charge', 40)],
    }),
    makeTransaction({
      txid: 'pay-00000001', pcode: payments, agentId: 5, objectName: 'pay-api', end: T0 + 80, elapsed: 30, url: '/charge',
      errorClass: 'CardDeclined', errorMessage: 'card 4242 declined', status: 402,
      traceId: TRACE, spanId: '2000000000000001', parentSpanId: '1000000000000003',
      steps: [call('2000000000000002', 'http://ledger.local/entries', 3)],
    }),
    makeTransaction({
      txid: 'ledger-00001', pcode: shop, agentId: 2, objectName: 'shop-ledger', end: T0 + 70, elapsed: 10, url: '/entries',
      traceId: TRACE, spanId: '3000000000000001', parentSpanId: '2000000000000002', steps: [],
    }),
  ]);
}

beforeEach(async () => {
  c = await startTestCollector({ passwordLogN: 12 });
  admin = c.client();
  await setupAdmin(admin);
  shop = (await admin.post(apiPaths.projects, { name: 'Shop', region: 'local' })).body.project.pcode;
  payments = (await admin.post(apiPaths.projects, { name: 'Payments', region: 'local' })).body.project.pcode;
  await writeTrace();
});
afterEach(async () => {
  await c.close();
});

describe('GET /api/v1/traces/:traceId', () => {
  it('links the transactions of every project of a member into one tree by the calls that made them', async () => {
    const res = await admin.get(tracePath(TRACE));
    expect(res.status).toBe(200);
    const trace = traceSchema.parse(res.body);
    const nodes = trace.nodes as VisibleTraceNode[];
    expect(nodes.map((n) => [n.id, n.parent, n.depth, n.hidden, n.txid, n.projectName, n.parentCall])).toEqual([
      [0, null, 0, false, 'front-000001', 'Shop', null],
      [1, 0, 1, false, 'pay-00000001', 'Payments', 1],
      [2, 1, 2, false, 'ledger-00001', 'Shop', 0],
    ]);
    // The call that started each child is the caller's step whose span the child names as its parent.
    expect(nodes[0]!.calls[nodes[1]!.parentCall!]).toMatchObject({ spanId: nodes[1]!.parentSpanId, url: 'http://pay.local/charge' });
    expect(nodes[1]).toMatchObject({ objectName: 'pay-api', agentId: 5, status: 402, error: 'CardDeclined', elapsed: 30, start: T0 + 50 });
  });

  it("shows a project the user is not a member of as hidden nodes, with none of its data", async () => {
    const viewer = await createUserClient(admin, 'shopper');
    await admin.post(apiPaths.members(shop), { username: 'shopper', role: 'viewer' });
    const res = await viewer.get(tracePath(TRACE));
    expect(res.status).toBe(200);
    const { nodes } = traceSchema.parse(res.body);
    expect(nodes.map((n) => [n.id, n.parent, n.depth, n.hidden])).toEqual([
      [0, null, 0, false],
      [1, 0, 1, true],
      [2, 1, 2, false],
    ]);
    expect(res.body.nodes[1]).toEqual({ hidden: true, id: 1, parent: 0, depth: 1 });
    const text = JSON.stringify(res.body);
    for (const secret of ['pay-api', 'pay-00000001', 'CardDeclined', '"url":"/charge"', payments, 'Payments', '2000000000000001'])
      expect(text).not.toContain(secret);
    // Under a hidden caller, nothing says which of its calls it was.
    expect((nodes[2] as VisibleTraceNode).parentCall).toBeNull();
  });

  it('answers 404 to a user who sees none of it, for an unknown trace and for what is not a trace id', async () => {
    const outsider = await createUserClient(admin, 'outsider');
    expect((await outsider.get(tracePath(TRACE))).status).toBe(404);
    expect((await admin.get(tracePath('0af7651916cd43dd8448eb211c80319c'))).status).toBe(404);
    for (const bad of ['0'.repeat(32), TRACE.toUpperCase(), TRACE.slice(1), 'not-a-trace'])
      expect((await admin.get(tracePath(bad))).body.error.code).toBe('not_found');
  });

  it('answers 401 when signed out, and forgets a deleted project', async () => {
    expect((await c.client().get(tracePath(TRACE))).status).toBe(401);
    await admin.delete(apiPaths.project(payments));
    const res = await admin.get(tracePath(TRACE));
    expect(res.body.nodes.map((n: VisibleTraceNode) => n.txid)).toEqual(['front-000001', 'ledger-00001']);
  });
});
