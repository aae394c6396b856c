import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTransaction } from '../../testing/telemetry-records';
import type { TelemetryStore } from '../telemetry-store';
import { openSqliteTelemetryStore } from './telemetry-store';
import { txidIndexFile } from './telemetry-txid-index';

const P = 'aaaaaaaa';
const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);
const MIN = 60_000;

// The telemetry contract itself runs against SQLite in conformance/sqlite.test.ts; these are
// the SQLite engine's own cases.
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

  // The conformance suite asks only that an empty poll not move the cursor back; here the
  // cursor is a row position (tx's primary key), so it stays exactly where it was.
  it('hands back the same hitmap cursor when no newer row was stored', async () => {
    await store.writeTransactions([
      makeTransaction({ txid: 'hit-000001', end: T0, elapsed: 120 }),
      makeTransaction({ txid: 'hit-000002', end: T0 + 1000, elapsed: 3400, errorClass: 'KeyError' }),
      makeTransaction({ txid: 'hit-000003', end: T0 - 3_600_000 }), // outside the range
    ]);
    const first = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN });
    expect(first.points).toHaveLength(2);
    const none = await store.hitmap(P, { from: T0 - MIN, to: T0 + MIN, cursor: first.cursor });
    expect(none.points).toHaveLength(0);
    expect(none.cursor).toBe(first.cursor);
  });
});
