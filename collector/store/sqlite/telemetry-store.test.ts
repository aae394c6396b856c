import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeHitmap, encodeHitmap } from '../../../src/api/hitmap';
import { makeTransaction } from '../../testing/telemetry-records';
import type { TelemetryStore } from '../telemetry-store';
import { openSqliteTelemetryStore } from './telemetry-store';
import { txidIndexFile } from './telemetry-txid-index';

const P = 'aaaaaaaa';
const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);
const MIN = 60_000;

describe('SQLite telemetry store', () => {
  let dir: string;
  let store: TelemetryStore;
  const file = () => join(dir, 'telemetry.sqlite');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapscope-telemetry-'));
    store = openSqliteTelemetryStore(file());
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores each txid once per project, whatever the resends and concurrency', async () => {
    const txs = Array.from({ length: 50 }, (_, i) => makeTransaction({ txid: `tx${String(i).padStart(8, '0')}`, end: T0 + i * 1000 }));
    const results = await Promise.all([store.writeTransactions(txs), store.writeTransactions(txs), store.writeTransactions(txs.slice(0, 10))]);
    expect(results.reduce((a, b) => a + b, 0)).toBe(50);
    // Another project may use the same txid.
    expect(await store.writeTransactions([makeTransaction({ pcode: 'bbbbbbbb', txid: txs[0]!.txid, end: txs[0]!.end })])).toBe(1);
    const list = await store.listTransactions(P, { from: 0, to: T0 + 3_600_000, limit: 1000, sort: 'end' });
    expect(list.total).toBe(50);
    const stats = await store.stats(P, 'transactions', T0 - MIN, T0 + 3_600_000);
    expect(stats.reduce((s, r) => s + r.count, 0)).toBe(50);
  });

  it('finds a profile by txid before and after the background indexer covered it', async () => {
    const tx = makeTransaction({ txid: 'profile-xyz-1', end: T0 });
    await store.writeTransactions([tx, makeTransaction({ txid: 'other-tx-0001', end: T0 + 5 })]);
    const before = await store.getProfile(P, 'profile-xyz-1');
    expect(before?.transaction.txid).toBe('profile-xyz-1');
    expect(before?.steps).toEqual(tx.steps);
    // Wait for the worker to map the rows (its watermark passes them), then look up again.
    await store.close();
    store = openSqliteTelemetryStore(file());
    const Database = (await import('better-sqlite3')).default;
    const idx = new Database(txidIndexFile(file()), { readonly: true });
    await expect
      .poll(() => idx.prepare('SELECT count(*) FROM txid_map').pluck().get(), { timeout: 5000 })
      .toBe(2);
    idx.close();
    const after = await store.getProfile(P, 'profile-xyz-1');
    expect(after).toEqual(before);
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
    expect(first.points).toHaveLength(2);
    const cols = decodeHitmap(encodeHitmap(first.points, first.cursor).slice().buffer);
    const byElapsed = [...cols.elapsed].map((e, i) => ({ e, end: cols.base + cols.end[i]!, err: cols.flags[i] })).sort((a, b) => a.e - b.e);
    expect(byElapsed).toEqual([
      { e: 120, end: T0, err: 0 },
      { e: 3400, end: T0 + 1000, err: 1 },
    ]);
    const none = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, cursor: first.cursor });
    expect(none.points).toHaveLength(0);
    expect(none.cursor).toBe(first.cursor);
    await store.writeTransactions([makeTransaction({ txid: 'hit-000004', end: T0 + 2000, elapsed: 50 })]);
    const next = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, cursor: first.cursor });
    expect(next.points).toEqual([{ end: T0 + 2000, elapsed: 50, agentId: 1, error: false }]);
    expect(next.cursor).toBeGreaterThan(first.cursor);
    const errorsOnly = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, error: 'true' });
    expect(errorsOnly.points.map((p) => p.elapsed)).toEqual([3400]);
  });

  it('lists a rectangle of the hitmap with the true total and filters', async () => {
    const txs = Array.from({ length: 300 }, (_, i) =>
      makeTransaction({ txid: `list-${String(i).padStart(6, '0')}`, end: T0 + i * 100, elapsed: i, agentId: 1 + (i % 3), url: i % 2 ? '/a' : '/b', status: i % 50 === 0 ? 500 : 200 }),
    );
    await store.writeTransactions(txs);
    const rect = { from: T0 + 10_000, to: T0 + 19_900, minElapsed: 100, maxElapsed: 199 };
    const page = await store.listTransactions(P, { ...rect, limit: 10, sort: 'elapsed' });
    expect(page.total).toBe(100);
    expect(page.transactions).toHaveLength(10);
    expect(page.transactions.map((t) => t.elapsed)).toEqual([199, 198, 197, 196, 195, 194, 193, 192, 191, 190]);
    const byEnd = await store.listTransactions(P, { ...rect, limit: 1000, sort: 'end' });
    expect(byEnd.transactions[0]!.end).toBe(T0 + 19_900);
    expect((await store.listTransactions(P, { ...rect, limit: 1000, sort: 'end', agentId: 2 })).total).toBe(34);
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
        txid: `stat-${String(i).padStart(6, '0')}`,
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
    await store.writeTransactions(txs);
    const [url] = await store.stats(P, 'transactions', T0, T0 + 10 * MIN);
    expect(url).toMatchObject({ key: '/slow', count: 1000, errors: 100, max: 1000 });
    expect(url!.avg).toBeCloseTo(500.5, 5);
    expect(url!.total).toBeCloseTo(500_500, 3);
    // Histogram buckets are 30 % wide: percentiles within ±15 % of the exact values.
    expect(url!.p50 / 500).toBeGreaterThan(0.85);
    expect(url!.p50 / 500).toBeLessThan(1.15);
    expect(url!.p95 / 950).toBeGreaterThan(0.85);
    expect(url!.p99).toBeLessThanOrEqual(1000);
    expect(url!.p99 / 990).toBeGreaterThan(0.85);
    expect(url!.p50).toBeLessThan(url!.p95);

    const [sql] = await store.stats(P, 'sql', T0, T0 + 10 * MIN);
    expect(sql).toMatchObject({ key: 'SELECT 1', count: 1000, total: 5000, p50: 5, max: 5 });
    const [httpc] = await store.stats(P, 'httpc', T0, T0 + 10 * MIN);
    expect(httpc).toMatchObject({ key: 'http://api/x', count: 1000, errors: 250 });
    const [err] = await store.stats(P, 'errors', T0, T0 + 10 * MIN);
    // The example is the latest occurrence.
    expect(err).toMatchObject({ key: 'TimeoutError', count: 100, errors: 100, url: '/slow', exampleTxid: 'stat-000990', message: 'timed out after 990 ms' });
    // A narrower range reads only its minutes.
    const [firstMinutes] = await store.stats(P, 'transactions', T0, T0 + 2 * MIN - 1);
    expect(firstMinutes!.count).toBe(200);
  });

  it('answers counters raw for an hour and from minute roll-ups beyond', async () => {
    const base = { pcode: P, tps: 2, txError: 0, respTime: 100, activeBands: [1, 0, 0] as [number, number, number], cpu: 10, mem: 1000, apdex: 1, dropped: 0 };
    const counters = [];
    for (let i = 0; i < 24; i++) {
      // two processes of agent 1 per 5-second slot, over two minutes
      counters.push({ ...base, agentId: 1, pid: 10, time: T0 + i * 5000, txCount: 10 });
      counters.push({ ...base, agentId: 1, pid: 11, time: T0 + i * 5000, txCount: 30, respTime: 200, apdex: 0.5 });
    }
    await store.writeCounters(counters);
    await store.writeCounters(counters.slice(0, 4)); // a resend
    const raw = await store.counters(P, T0, T0 + 2 * MIN);
    expect(raw.step).toBe(5000);
    expect(raw.points).toHaveLength(24);
    expect(raw.points[0]).toMatchObject({ time: T0, agentId: 1, tps: 4, txCount: 40, respTime: 175, cpu: 20, mem: 2000, apdex: 0.625 });
    const long = await store.counters(P, T0 - 10 * 3_600_000, T0 + 2 * MIN);
    expect(long.step).toBe(60_000);
    expect(long.points).toHaveLength(2);
    expect(long.points[0]).toMatchObject({ time: T0, agentId: 1, tps: 4, txCount: 480, respTime: 175, cpu: 20, apdex: 0.625 });
    const latest = await store.latestCounters(P);
    expect(latest.get(1)).toMatchObject({ time: T0 + 23 * 5000, txCount: 40 });
  });

  it('applies retention to raw rows and roll-ups separately', async () => {
    const day = 86_400_000;
    const now = T0 + 100 * day;
    await store.writeTransactions([
      makeTransaction({ txid: 'old-raw-0001', end: now - 10 * day }),
      makeTransaction({ txid: 'new-raw-0001', end: now - 1 * day }),
      makeTransaction({ txid: 'ancient-0001', end: now - 95 * day }),
    ]);
    await store.writeCounters([
      { pcode: P, agentId: 1, pid: 1, time: now - 10 * day, tps: 1, txCount: 5, txError: 0, respTime: 1, activeBands: [0, 0, 0], cpu: 1, mem: 1, apdex: null, dropped: 0 },
    ]);
    const { deleted } = await store.applyRetention({ rawDays: 7, rollupDays: 90 }, now);
    expect(deleted).toBeGreaterThan(0);
    const raw = await store.listTransactions(P, { from: 0, to: now, limit: 100, sort: 'end' });
    expect(raw.transactions.map((t) => t.txid)).toEqual(['new-raw-0001']);
    expect(await store.getProfile(P, 'old-raw-0001')).toBeNull();
    // Roll-ups of the 10-day-old transaction remain (90 days), those of the 95-day-old one do not.
    const stats = await store.stats(P, 'transactions', now - 31 * day, now);
    expect(stats[0]!.count).toBe(2);
    expect((await store.stats(P, 'transactions', now - 96 * day, now - 94 * day)).length).toBe(0);
    expect((await store.counters(P, now - 11 * day, now - 9 * day)).points).toHaveLength(1); // minute roll-up kept
  });

  it('deletes everything of a project and nothing of another', async () => {
    await store.writeTransactions([makeTransaction({ txid: 'keep-000001', pcode: 'bbbbbbbb', end: T0 }), makeTransaction({ txid: 'gone-000001', end: T0 })]);
    await store.deleteProject(P);
    expect((await store.listTransactions(P, { from: 0, to: T0 + 1, limit: 10, sort: 'end' })).total).toBe(0);
    expect(await store.stats(P, 'transactions', T0 - MIN, T0 + MIN)).toEqual([]);
    expect((await store.listTransactions('bbbbbbbb', { from: 0, to: T0 + 1, limit: 10, sort: 'end' })).total).toBe(1);
  });

  it('keeps what was written across a reopen', async () => {
    await store.writeTransactions([makeTransaction({ txid: 'durable-0001', end: T0 })]);
    await store.close();
    store = openSqliteTelemetryStore(file());
    expect((await store.getProfile(P, 'durable-0001'))?.transaction.txid).toBe('durable-0001');
  });
});
