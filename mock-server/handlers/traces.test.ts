import { describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { traceSchema, tracePath, type VisibleTraceNode } from '../../src/api/traces';
import { transactionProfileSchema } from '../../src/api/transactions';
import { MOCK_PCODE } from '../data/agents';
import { MOCK_TRACE_ID } from '../data/traces-seed';
import { signInAs } from '../db';

const get = async (traceId: string) => {
  const res = await fetch(new URL(tracePath(traceId), window.location.origin));
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('the mock traces API', () => {
  it('answers the seeded trace whole to a member of both projects', async () => {
    signInAs('admin');
    const { status, body } = await get(MOCK_TRACE_ID);
    expect(status).toBe(200);
    const nodes = traceSchema.parse(body).nodes as VisibleTraceNode[];
    expect(nodes.map((n) => [n.url, n.projectName, n.parent])).toEqual([
      ['/checkout', 'Demo shop', null],
      ['/reserve', 'Demo shop', 0],
      ['/charge', 'Billing API', 0],
      ['/orders/{id}/paid', 'Demo shop', 2],
    ]);
    for (const n of nodes.slice(1)) expect(nodes[n.parent!]!.calls[n.parentCall!]!.spanId).toBe(n.parentSpanId);
  });

  it('hides the project a user is not a member of, and 404s to a user who sees none of it', async () => {
    signInAs('dana');
    const { body } = await get(MOCK_TRACE_ID);
    const nodes = traceSchema.parse(body).nodes;
    expect(nodes[2]).toEqual({ hidden: true, id: 2, parent: 0, depth: 1 });
    expect(JSON.stringify(body)).not.toContain('Billing');
    expect((nodes[3] as VisibleTraceNode).parentCall).toBeNull();
    signInAs('lee');
    expect((await get(MOCK_TRACE_ID)).status).toBe(404);
    signInAs('admin');
    expect((await get('0af7651916cd43dd8448eb211c80319c')).status).toBe(404);
    expect((await get('not-a-trace')).status).toBe(404);
  });

  it('serves every transaction of the seeded trace as a profile in its project, with its trace context', async () => {
    signInAs('admin');
    const nodes = traceSchema.parse((await get(MOCK_TRACE_ID)).body).nodes as VisibleTraceNode[];
    for (const n of nodes) {
      const res = await fetch(new URL(apiPaths.transaction(n.pcode, n.txid), window.location.origin));
      expect(res.status).toBe(200);
      const { transaction, steps } = transactionProfileSchema.parse(await res.json());
      expect([transaction.url, transaction.start, transaction.elapsed, transaction.traceId]).toEqual([n.url, n.start, n.elapsed, MOCK_TRACE_ID]);
      expect(transaction.spanId).toBe(n.spanId);
      expect(transaction.parentSpanId ?? null).toBe(n.parentSpanId);
      expect(steps.filter((s) => s.kind === 'httpc').map((s) => [s.text, s.spanId])).toEqual(n.calls.map((c) => [c.url, c.spanId]));
    }
    // The Billing API's profile is in its own project only.
    const wrong = await fetch(new URL(apiPaths.transaction(MOCK_PCODE, 'trace0charge00'), window.location.origin));
    expect(wrong.status).toBe(404);
  });
});
