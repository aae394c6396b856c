import { describe, expect, it } from 'vitest';
import type { VisibleTraceNode } from '../../../src/api/traces';
import type { TraceTransactionRecord } from '../../store/telemetry-store';
import { buildTraceTree } from './trace-tree';

const VISIBLE = new Map([['shopshop', 'Shop']]);

function rec(txid: string, start: number, spanId: string, parentSpanId: string | null, calls: string[] = [], pcode = 'shopshop'): TraceTransactionRecord {
  return {
    pcode,
    spanId,
    parentSpanId,
    transaction: {
      txid, agentId: 1, objectName: 'shop-web', start, end: start + 10, elapsed: 10, url: `/${txid}`, method: 'GET',
      status: 200, error: null, sqlCount: 0, sqlTime: 0, httpcCount: calls.length, httpcTime: 0,
    },
    calls: calls.map((s, i) => ({ kind: 'httpc', start: i, elapsed: 1, text: `http://x/${s}`, spanId: s })),
  };
}

const shape = (nodes: ReturnType<typeof buildTraceTree>) =>
  nodes!.map((n) => [n.hidden ? 'hidden' : (n as VisibleTraceNode).txid, n.parent, n.depth]);

describe('the trace tree', () => {
  it("hangs a transaction under the one whose own span is its parent when no call step names it (a task it sent)", () => {
    const nodes = buildTraceTree([rec('task', 20, 'b2', 'a1'), rec('web', 0, 'a1', null, ['c1']), rec('api', 5, 'd1', 'c1')], VISIBLE);
    expect(shape(nodes)).toEqual([['web', null, 0], ['api', 0, 1], ['task', 0, 1]]);
    expect((nodes![1] as VisibleTraceNode).parentCall).toBe(0);
    expect((nodes![2] as VisibleTraceNode).parentCall).toBeNull();
  });

  it('makes roots of transactions whose caller is not stored, oldest first, and of links that loop', () => {
    const nodes = buildTraceTree(
      [rec('late', 50, 'e1', 'ffff000000000000'), rec('early', 10, 'e2', null), rec('loop1', 30, 'l1', 'l2'), rec('loop2', 31, 'l2', 'l1')],
      VISIBLE,
    );
    expect(shape(nodes)).toEqual([['early', null, 0], ['late', null, 0], ['loop1', null, 0], ['loop2', 2, 1]]);
  });

  it('puts hidden siblings after visible ones and is null when nothing is visible', () => {
    const nodes = buildTraceTree(
      [rec('web', 0, 'a1', null, ['c1', 'c2']), rec('secret', 1, 'h1', 'c1', [], 'otherprj'), rec('api', 2, 'd1', 'c2')],
      VISIBLE,
    );
    expect(shape(nodes)).toEqual([['web', null, 0], ['api', 0, 1], ['hidden', 0, 1]]);
    expect(buildTraceTree([rec('secret', 1, 'h1', null, [], 'otherprj')], VISIBLE)).toBeNull();
  });
});
