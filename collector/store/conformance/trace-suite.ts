import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTransaction } from '../../testing/telemetry-records';
import type { TelemetryStore, TraceTransactionRecord, TransactionRecord } from '../telemetry-store';
import { P, type StoreLocation, T0, type TelemetryEngine } from './fixtures';

const P2 = 'bbbbbbbb';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER_TRACE = '0af7651916cd43dd8448eb211c80319c';

/** A front service in P calling an API in P2, which calls a third service back in P; one more trace; one without. */
export function traceFixture(): TransactionRecord[] {
  const call = (spanId: string, url: string, start: number) =>
    ({ kind: 'httpc', start, elapsed: 30, text: url, status: 200, depth: 0, spanId }) as const;
  return [
    makeTransaction({
      txid: 'front-000001', pcode: P, agentId: 1, end: T0 + 100, elapsed: 100, url: '/checkout',
      traceId: TRACE, spanId: '1000000000000001', parentSpanId: null,
      httpcCount: 1, steps: [call('1000000000000002', 'http://api.local/orders', 10)],
    }),
    makeTransaction({
      txid: 'api-00000001', pcode: P2, agentId: 7, end: T0 + 60, elapsed: 45, url: '/orders',
      traceId: TRACE, spanId: '2000000000000001', parentSpanId: '1000000000000002',
      steps: [call('2000000000000002', 'http://stock.local/reserve', 5), { kind: 'sql', start: 1, elapsed: 2, text: 'SELECT 1' }],
    }),
    makeTransaction({
      txid: 'stock-000001', pcode: P, agentId: 2, end: T0 + 50, elapsed: 20, url: '/reserve',
      traceId: TRACE, spanId: '3000000000000001', parentSpanId: '2000000000000002', steps: [],
    }),
    makeTransaction({ txid: 'other-000001', pcode: P, end: T0 + 70, traceId: OTHER_TRACE, spanId: '4000000000000001' }),
    makeTransaction({ txid: 'none-0000001', pcode: P, end: T0 + 80 }),
  ];
}

const summary = (r: TraceTransactionRecord) => ({
  pcode: r.pcode,
  txid: r.transaction.txid,
  url: r.transaction.url,
  spanId: r.spanId,
  parentSpanId: r.parentSpanId,
  calls: r.calls.map((c) => [c.spanId, c.text]),
});
const sorted = (rs: TraceTransactionRecord[]) => rs.map(summary).sort((a, b) => a.txid.localeCompare(b.txid));

/** traceTransactions on every engine: one trace across projects, resends and deletes. */
export function describeTraceConformance(engine: TelemetryEngine): void {
  describe(`trace look-up: ${engine.name}`, () => {
    let location: StoreLocation<TelemetryStore>;
    let store: TelemetryStore;
    beforeEach(async () => {
      location = await engine.create();
      store = await location.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("finds a trace's transactions in every project, with their spans and the calls that carried one", async () => {
      const txs = traceFixture();
      expect(await store.writeTransactions(txs)).toBe(5);
      expect(await store.writeTransactions(txs)).toBe(0); // a resend stores nothing twice
      const expected = [
        { pcode: P2, txid: 'api-00000001', url: '/orders', spanId: '2000000000000001', parentSpanId: '1000000000000002', calls: [['2000000000000002', 'http://stock.local/reserve']] },
        { pcode: P, txid: 'front-000001', url: '/checkout', spanId: '1000000000000001', parentSpanId: null, calls: [['1000000000000002', 'http://api.local/orders']] },
        { pcode: P, txid: 'stock-000001', url: '/reserve', spanId: '3000000000000001', parentSpanId: '2000000000000002', calls: [] },
      ];
      // Asked again while the store's indexes catch up (SQLite's trace map fills in the background): always the same answer.
      for (let i = 0; i < 8; i++) {
        expect(sorted(await store.traceTransactions(TRACE))).toEqual(expected);
        await new Promise((r) => setTimeout(r, 150));
      }
      expect((await store.traceTransactions(OTHER_TRACE)).map((r) => r.transaction.txid)).toEqual(['other-000001']);
      expect(await store.traceTransactions('ffffffffffffffffffffffffffffffff')).toEqual([]);
      const front = (await store.traceTransactions(TRACE)).find((r) => r.transaction.txid === 'front-000001')!;
      expect(front.transaction).toMatchObject({ objectName: 'shop-0-12-gunicorn', elapsed: 100, end: T0 + 100, status: 200 });
    });

    it('gives the profile of a traced transaction its trace context, and none to an untraced one', async () => {
      await store.writeTransactions(traceFixture());
      expect((await store.getProfile(P2, 'api-00000001'))?.transaction).toMatchObject({
        traceId: TRACE,
        spanId: '2000000000000001',
        parentSpanId: '1000000000000002',
      });
      const front = (await store.getProfile(P, 'front-000001'))!.transaction;
      expect([front.traceId, front.spanId, 'parentSpanId' in front]).toEqual([TRACE, '1000000000000001', false]);
      expect(await store.getProfile(P, 'none-0000001')).not.toHaveProperty('transaction.traceId');
    });

    it("forgets a deleted project's part of a trace", async () => {
      await store.writeTransactions(traceFixture());
      await store.deleteProject(P2);
      expect(sorted(await store.traceTransactions(TRACE)).map((r) => r.txid)).toEqual(['front-000001', 'stock-000001']);
    });
  });
}
