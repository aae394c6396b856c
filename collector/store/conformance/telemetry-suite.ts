import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeHitmap, encodeHitmap } from '../../../src/api/hitmap';
import type { TelemetryStore } from '../telemetry-store';
import { makeTransaction } from '../../testing/telemetry-records';
import { DAY, makeCounter, MIN, P, type StoreLocation, T0, type TelemetryEngine } from './fixtures';

const txid = (prefix: string, i: number) => `${prefix}-${String(i).padStart(6, '0')}`;

/** The telemetry store contract, run against every engine (sqlite.test.ts, clickhouse.test.ts). */
export function describeTelemetryConformance(engine: TelemetryEngine): void {
  describe(`telemetry store conformance: ${engine.name}`, () => {
    let location: StoreLocation<TelemetryStore>;
    let store: TelemetryStore;
    const opened: TelemetryStore[] = [];
    const open = async () => {
      const s = await location.open();
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      location = await engine.create();
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('stores each txid once per project, whatever the resends and concurrency', async () => {
      const txs = Array.from({ length: 50 }, (_, i) => makeTransaction({ txid: txid('tx', i), end: T0 + i * 1000 }));
      const results = await Promise.all([store.writeTransactions(txs), store.writeTransactions(txs), store.writeTransactions(txs.slice(0, 10))]);
      expect(results.reduce((a, b) => a + b, 0)).toBe(50);
      expect(await store.writeTransactions(txs.slice(5, 20))).toBe(0); // a later resend
      // Another project may use the same txid.
      expect(await store.writeTransactions([makeTransaction({ pcode: 'bbbbbbbb', txid: txs[0]!.txid, end: txs[0]!.end })])).toBe(1);
      const list = await store.listTransactions(P, { from: 0, to: T0 + 3_600_000, limit: 1000, sort: 'end' });
      expect(list.total).toBe(50);
      expect(new Set(list.transactions.map((t) => t.txid)).size).toBe(50);
      const stats = await store.stats(P, 'transactions', T0 - MIN, T0 + 3_600_000);
      expect(stats.reduce((s, r) => s + r.count, 0)).toBe(50);
    });

    it('returns a profile whole by txid, and only in its project', async () => {
      const tx = makeTransaction({
        txid: 'profile-xyz-1',
        end: T0 + 0.5,
        errorClass: 'ValueError',
        errorMessage: "bad id: 'x' \\ \"y\"",
        errorStack: 'Traceback…\n  line 1',
        params: 'v1.c2FsdA.bm9uY2U.Y2lwaGVy',
        steps: [
          { kind: 'sql', start: 1.25, elapsed: 10, text: "SELECT * FROM t WHERE name = ? -- 'quoted'", params: 'v1.a.b.c', fetch: 3 },
          { kind: 'httpc', start: 12, elapsed: 30.5, text: 'http://api.local/x?y=1', status: 503 },
          { kind: 'error', start: 50, elapsed: 0, text: 'ValueError', error: 'bad id' },
        ],
      });
      await store.writeTransactions([tx, makeTransaction({ txid: 'other-tx-0001', end: T0 + 5 })]);
      const profile = await store.getProfile(P, 'profile-xyz-1');
      expect(profile?.steps).toEqual(tx.steps);
      expect(profile?.transaction).toMatchObject({
        txid: 'profile-xyz-1',
        end: T0 + 0.5,
        error: 'ValueError',
        errorMessage: tx.errorMessage,
        errorStack: tx.errorStack,
        params: tx.params,
        clientIp: tx.clientIp,
        userAgent: tx.userAgent,
      });
      expect(await store.getProfile(P, 'nope-nope-1')).toBeNull();
      expect(await store.getProfile('bbbbbbbb', 'profile-xyz-1')).toBeNull();
    });

    it('answers the hitmap for a range, then only newer points by cursor', async () => {
      await store.writeTransactions([
        makeTransaction({ txid: 'hit-000001', end: T0, elapsed: 120 }),
        makeTransaction({ txid: 'hit-000002', end: T0 + 1000, elapsed: 3400, errorClass: 'KeyError' }),
        makeTransaction({ txid: 'hit-000003', end: T0 - 3_600_000 }), // outside the range
      ]);
      const first = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN });
      const cols = decodeHitmap(encodeHitmap(first.points, first.cursor).slice().buffer);
      const byElapsed = [...cols.elapsed].map((e, i) => ({ e, end: cols.base + cols.end[i]!, err: cols.flags[i] })).sort((a, b) => a.e - b.e);
      expect(byElapsed).toEqual([
        { e: 120, end: T0, err: 0 },
        { e: 3400, end: T0 + 1000, err: 1 },
      ]);
      const none = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, cursor: first.cursor });
      expect(none.points).toHaveLength(0);
      expect(none.cursor).toBeGreaterThanOrEqual(first.cursor);
      await store.writeTransactions([makeTransaction({ txid: 'hit-000004', end: T0 + 2000, elapsed: 50 })]);
      await store.writeTransactions([makeTransaction({ txid: 'hit-000001', end: T0, elapsed: 120 })]); // a resend
      const next = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, cursor: none.cursor });
      expect(next.points).toEqual([{ end: T0 + 2000, elapsed: 50, agentId: 1, error: false }]);
      expect(next.cursor).toBeGreaterThan(none.cursor);
      const errorsOnly = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, error: 'true' });
      expect(errorsOnly.points.map((p) => p.elapsed)).toEqual([3400]);
      const capped = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, limit: 2 });
      expect(capped.points.map((p) => p.end)).toEqual([T0 + 2000, T0 + 1000]); // the latest
      // The engine's own encoding says the same as encodeHitmap of its points (the cursor aside).
      const q = { from: T0 - MIN, to: T0 + MIN };
      const direct = decodeHitmap((await store.hitmapEncoded(P, q)).slice().buffer);
      const viaPoints = decodeHitmap(encodeHitmap((await store.hitmap(P, q)).points, 0).slice().buffer);
      expect({ ...direct, cursor: 0 }).toEqual(viaPoints);
    });

    it('pages an incremental hitmap answer that hits the limit without losing a point', async () => {
      const start = await store.hitmap(P, { from: T0, to: T0 + MIN });
      const txs = Array.from({ length: 25 }, (_, i) => makeTransaction({ txid: txid('page', i), end: T0 + i * 100, elapsed: i + 1 }));
      await store.writeTransactions(txs);
      const seen: number[] = [];
      let cursor = start.cursor;
      for (let i = 0; i < 10; i++) {
        const page = await store.hitmap(P, { from: T0, to: T0 + MIN, cursor, limit: 10 });
        seen.push(...page.points.map((p) => p.elapsed));
        cursor = page.cursor;
        if (page.points.length < 10) break;
      }
      expect(seen.sort((a, b) => a - b)).toEqual(txs.map((t) => t.elapsed));
    });

    it('lists a rectangle of the hitmap with the true total and filters', async () => {
      const txs = Array.from({ length: 300 }, (_, i) =>
        makeTransaction({ txid: txid('list', i), end: T0 + i * 100, elapsed: i, agentId: 1 + (i % 3), url: i % 2 ? '/a' : '/b', status: i % 50 === 0 ? 500 : 200 }),
      );
      await store.writeTransactions(txs);
      const rect = { from: T0 + 10_000, to: T0 + 19_900, minElapsed: 100, maxElapsed: 199 };
      const page = await store.listTransactions(P, { ...rect, limit: 10, sort: 'elapsed' });
      expect(page.total).toBe(100);
      expect(page.transactions.map((t) => t.elapsed)).toEqual([199, 198, 197, 196, 195, 194, 193, 192, 191, 190]);
      const byEnd = await store.listTransactions(P, { ...rect, limit: 1000, sort: 'end' });
      expect(byEnd.transactions[0]!.end).toBe(T0 + 19_900);
      expect(byEnd.total).toBe(100);
      expect((await store.listTransactions(P, { ...rect, limit: 1000, sort: 'end', agentId: 2 })).total).toBe(34); // i ≡ 1 (mod 3)
      expect((await store.listTransactions(P, { ...rect, limit: 1000, sort: 'end', agentId: 3 })).total).toBe(33);
      expect((await store.listTransactions(P, { ...rect, limit: 1000, sort: 'end', url: '/a' })).total).toBe(50);
      const failed = await store.listTransactions(P, { ...rect, limit: 1000, sort: 'end', error: true });
      expect(failed.transactions.map((t) => [t.elapsed, t.error])).toEqual([
        [150, 'HTTP 500'],
        [100, 'HTTP 500'],
      ]);
    });

    it('computes statistics from per-minute roll-ups with histogram percentiles', async () => {
      // 1000 transactions of /slow over 10 minutes: elapsed 1 … 1000 ms, one in ten with an error.
      const txs = Array.from({ length: 1000 }, (_, i) =>
        makeTransaction({
          txid: txid('stat', i),
          end: T0 + (i % 10) * MIN + i,
          elapsed: i + 1,
          url: '/slow',
          errorClass: i % 10 === 0 ? 'TimeoutError' : null,
          errorMessage: i % 10 === 0 ? `timed out after ${i} ms` : null,
          steps: [
            { kind: 'sql', start: 1, elapsed: 5, text: 'SELECT 1' },
            { kind: 'httpc', start: 2, elapsed: 20, text: 'http://api/x?id=1', status: i % 4 === 0 ? 503 : 200 },
          ],
        }),
      );
      // In several writes, as ingest batches arrive, and one resent.
      for (let i = 0; i < 1000; i += 250) await store.writeTransactions(txs.slice(i, i + 250));
      await store.writeTransactions(txs.slice(0, 250));
      const [url] = await store.stats(P, 'transactions', T0, T0 + 10 * MIN);
      expect(url).toMatchObject({ key: '/slow', count: 1000, errors: 100, max: 1000 });
      expect(url!.avg).toBeCloseTo(500.5, 5);
      expect(url!.total).toBeCloseTo(500_500, 3);
      // Histogram buckets are 30 % wide: percentiles within ±15 % of the exact values.
      for (const [p, exact] of [[url!.p50, 500], [url!.p95, 950], [url!.p99, 990]] as const) {
        expect(p / exact).toBeGreaterThan(0.85);
        expect(p / exact).toBeLessThan(1.15);
      }
      expect(url!.p99).toBeLessThanOrEqual(1000);
      const [sql] = await store.stats(P, 'sql', T0, T0 + 10 * MIN);
      expect(sql).toMatchObject({ key: 'SELECT 1', count: 1000, total: 5000, p50: 5, max: 5 });
      const [httpc] = await store.stats(P, 'httpc', T0, T0 + 10 * MIN);
      expect(httpc).toMatchObject({ key: 'http://api/x', count: 1000, errors: 250 });
      const [err] = await store.stats(P, 'errors', T0, T0 + 10 * MIN);
      // The example is the latest occurrence.
      expect(err).toMatchObject({ key: 'TimeoutError', count: 100, errors: 100, url: '/slow', exampleTxid: 'stat-000990', message: 'timed out after 990 ms' });
      const [firstMinutes] = await store.stats(P, 'transactions', T0, T0 + 2 * MIN - 1);
      expect(firstMinutes!.count).toBe(200);
      expect(await store.stats(P, 'transactions', T0, T0 + 10 * MIN, 2)).toEqual([]); // another agent
    });

    it('answers counters raw for an hour and from minute roll-ups beyond, ignoring resent samples', async () => {
      const counters = [];
      for (let i = 0; i < 24; i++) {
        // two processes of agent 1 per 5-second slot, over two minutes
        counters.push(makeCounter({ pid: 10, time: T0 + i * 5000, txCount: 10 }));
        counters.push(makeCounter({ pid: 11, time: T0 + i * 5000, txCount: 30, respTime: 200, apdex: 0.5 }));
      }
      await store.writeCounters(counters);
      await store.writeCounters(counters.slice(0, 4)); // a resend
      await store.writeCounters([makeCounter({ agentId: 2, time: T0 + 60_000, apdex: null, txCount: 0 })]);
      const raw = await store.counters(P, T0, T0 + 2 * MIN, 1);
      expect(raw.step).toBe(5000);
      expect(raw.points).toHaveLength(24);
      expect(raw.points[0]).toMatchObject({ time: T0, agentId: 1, tps: 4, txCount: 40, respTime: 175, cpu: 20, mem: 2000, apdex: 0.625 });
      const all = await store.counters(P, T0, T0 + 2 * MIN);
      expect(all.points).toHaveLength(25);
      expect(all.points[0]).toEqual(raw.points[0]); // without the agent filter: the same sums
      const long = await store.counters(P, T0 - 10 * 3_600_000, T0 + 2 * MIN, 1);
      expect(long.step).toBe(60_000);
      expect(long.points).toHaveLength(2);
      expect(long.points[0]).toMatchObject({ time: T0, agentId: 1, tps: 4, txCount: 480, respTime: 175, cpu: 20, apdex: 0.625 });
      const longAll = await store.counters(P, T0 - 10 * 3_600_000, T0 + 2 * MIN);
      expect(longAll.step).toBe(60_000);
      expect(longAll.points.map((p) => [p.time, p.agentId])).toEqual([
        [T0, 1],
        [T0 + MIN, 1],
        [T0 + MIN, 2],
      ]);
      expect(longAll.points[0]).toEqual(long.points[0]);
      const latest = await store.latestCounters(P);
      expect(latest.get(1)).toMatchObject({ time: T0 + 23 * 5000, txCount: 40 });
      expect(latest.get(2)).toMatchObject({ time: T0 + 60_000, apdex: null });
      expect((await store.latestCounters('bbbbbbbb')).size).toBe(0);
    });

    it('sums counters of multi-day ranges into buckets of the step, one point per agent and bucket', async () => {
      // Two agents, a sample every 5 minutes for 3 days (ending near T0), distinct values per sample.
      const samples = [];
      for (let i = 0; i < 3 * 288; i++) {
        const time = T0 - 3 * DAY + i * 5 * MIN;
        for (const agentId of [1, 2]) {
          samples.push(makeCounter({ agentId, time, txCount: 1 + (i % 7) + agentId, tps: (i % 5) + agentId, respTime: 10 * (1 + (i % 3)), apdex: null }));
        }
      }
      for (let i = 0; i < samples.length; i += 500) await store.writeCounters(samples.slice(i, i + 500));
      for (const [days, stepMin] of [[7, 10], [31, 30]] as const) {
        const from = T0 - days * DAY + 7 * MIN + 1234; // not aligned to anything
        const to = T0 + 30_000;
        const { step, points } = await store.counters(P, from, to);
        expect(step).toBe(stepMin * MIN);
        const start = Math.floor(from / step) * step;
        const expected = new Map<string, { txCount: number; tps: number[]; resp: number }>();
        for (const c of samples) {
          if (c.time < start || c.time > to) continue;
          const id = `${Math.floor(c.time / step) * step}/${c.agentId}`;
          const e = expected.get(id) ?? { txCount: 0, tps: [], resp: 0 };
          e.txCount += c.txCount;
          e.tps.push(c.tps);
          e.resp += c.respTime * c.txCount;
          expected.set(id, e);
        }
        // 3 days of data in buckets of the step: one point per agent and bucket, no more.
        expect(points.length).toBe(expected.size);
        expect(points.length).toBeLessThanOrEqual(2 * Math.ceil((3 * DAY) / step + 1));
        for (const p of points) {
          expect(p.time % step).toBe(0);
          const e = expected.get(`${p.time}/${p.agentId}`);
          expect(e, `bucket ${p.time} of agent ${p.agentId}`).toBeDefined();
          expect(p.txCount).toBeCloseTo(e!.txCount, 6);
          expect(p.tps).toBeCloseTo(e!.tps.reduce((a, b) => a + b, 0) / e!.tps.length, 6);
          expect(p.respTime).toBeCloseTo(e!.resp / e!.txCount, 6);
        }
        const one = await store.counters(P, from, to, 2);
        expect(one.points).toEqual(points.filter((p) => p.agentId === 2));
      }
    });

    it('applies retention to raw rows and roll-ups separately', async () => {
      const now = T0 + 100 * DAY;
      await store.writeTransactions([
        makeTransaction({ txid: 'old-raw-0001', end: now - 10 * DAY }),
        makeTransaction({ txid: 'new-raw-0001', end: now - 1 * DAY }),
        makeTransaction({ txid: 'ancient-0001', end: now - 95 * DAY }),
      ]);
      await store.writeCounters([makeCounter({ time: now - 10 * DAY, txCount: 5, apdex: null })]);
      const { deleted } = await store.applyRetention({ rawDays: 7, rollupDays: 90 }, now);
      expect(deleted).toBeGreaterThan(0);
      const raw = await store.listTransactions(P, { from: 0, to: now, limit: 100, sort: 'end' });
      expect(raw.transactions.map((t) => t.txid)).toEqual(['new-raw-0001']);
      expect(await store.getProfile(P, 'old-raw-0001')).toBeNull();
      // Roll-ups of the 10-day-old transaction remain (90 days), those of the 95-day-old one do not.
      expect((await store.stats(P, 'transactions', now - 31 * DAY, now))[0]!.count).toBe(2);
      expect(await store.stats(P, 'transactions', now - 96 * DAY, now - 94 * DAY)).toEqual([]);
      expect((await store.counters(P, now - 11 * DAY, now - 9 * DAY)).points).toHaveLength(1); // minute roll-up kept
      expect((await store.counters(P, now - 10 * DAY - MIN, now - 10 * DAY + MIN)).points).toHaveLength(0); // raw gone
    });

    it('deletes everything of a project and nothing of another', async () => {
      await store.writeTransactions([makeTransaction({ txid: 'keep-000001', pcode: 'bbbbbbbb', end: T0 }), makeTransaction({ txid: 'gone-000001', end: T0 })]);
      await store.writeCounters([makeCounter({ time: T0 }), makeCounter({ time: T0, pcode: 'bbbbbbbb' })]);
      await store.deleteProject(P);
      expect((await store.listTransactions(P, { from: 0, to: T0 + 1, limit: 10, sort: 'end' })).total).toBe(0);
      expect(await store.getProfile(P, 'gone-000001')).toBeNull();
      expect(await store.stats(P, 'transactions', T0 - MIN, T0 + MIN)).toEqual([]);
      expect((await store.counters(P, T0 - MIN, T0 + MIN)).points).toEqual([]);
      expect((await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN })).points).toEqual([]);
      expect((await store.listTransactions('bbbbbbbb', { from: 0, to: T0 + 1, limit: 10, sort: 'end' })).total).toBe(1);
      expect((await store.counters('bbbbbbbb', T0 - MIN, T0 + MIN)).points).toHaveLength(1);
    });

    it('keeps what was written across a reopen', async () => {
      await store.writeTransactions([makeTransaction({ txid: 'durable-0001', end: T0 })]);
      await store.close();
      store = await open();
      expect((await store.getProfile(P, 'durable-0001'))?.transaction.txid).toBe('durable-0001');
      expect(await store.writeTransactions([makeTransaction({ txid: 'durable-0001', end: T0 })])).toBe(0);
    });

    it.runIf(engine.shared)('lets two stores on one database (two collectors) share data, resends and cursors', async () => {
      const other = await open();
      const txs = Array.from({ length: 20 }, (_, i) => makeTransaction({ txid: txid('two', i), end: T0 + i * 10 }));
      expect(await store.writeTransactions(txs.slice(0, 10))).toBe(10);
      const first = await other.hitmap(P, { from: T0 - MIN, to: T0 + MIN });
      expect(first.points).toHaveLength(10);
      // The agent failed over: it resends the last batch to the other collector, then goes on.
      expect(await other.writeTransactions(txs.slice(5, 20))).toBe(10);
      const next = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, cursor: first.cursor });
      expect(next.points.map((p) => p.end).sort((a, b) => a - b)).toEqual(txs.slice(10).map((t) => t.end));
      expect((await store.listTransactions(P, { from: 0, to: T0 + MIN, limit: 100, sort: 'end' })).total).toBe(20);
      expect((await other.stats(P, 'transactions', T0 - MIN, T0 + MIN))[0]!.count).toBe(20);
      expect((await store.getProfile(P, txid('two', 19)))?.transaction.txid).toBe(txid('two', 19));
    });
  });
}
