import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OVERFLOW_NAME } from '../../src/features/stats/lib/overflow';
import { openSqliteTelemetryStore } from './sqlite/telemetry-store';
import type { TelemetryStore } from './telemetry-store';
import { makeTransaction } from '../testing/telemetry-records';
import { NameBound, OVERFLOW_KEY, STAT_TX_MAX_COUNT } from './rollup-name-bound';

const P = 'aaaaaaaa';
const Q = 'bbbbbbbb';
const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);
const DAY = 86_400_000;

describe('the roll-up cardinality bound', () => {
  let dir: string;
  let store: TelemetryStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapscope-bound-'));
    store = openSqliteTelemetryStore(join(dir, 'telemetry.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rolls a project’s names beyond the bound up under the overflow row; other projects keep theirs', async () => {
    const extra = 25;
    const txs = Array.from({ length: STAT_TX_MAX_COUNT + extra }, (_, i) =>
      makeTransaction({ txid: `bound-${String(i).padStart(6, '0')}`, end: T0 + i, url: `/raw/${i}`, steps: [] }),
    );
    // Names seen before the bound was reached keep counting under their own row.
    txs.push(makeTransaction({ txid: 'bound-again-01', end: T0 + 9000, url: '/raw/0', steps: [] }));
    txs.push(makeTransaction({ txid: 'other-proj-01', pcode: Q, end: T0 + 9000, url: '/raw/99999', steps: [] }));
    for (let i = 0; i < txs.length; i += 1000) await store.writeTransactions(txs.slice(i, i + 1000));

    const rows = await store.stats(P, 'transactions', T0 - DAY / 24, T0 + DAY / 24);
    expect(rows).toHaveLength(STAT_TX_MAX_COUNT + 1);
    const overflow = rows.find((r) => r.key === OVERFLOW_KEY);
    expect(overflow?.count).toBe(extra);
    expect(rows.find((r) => r.key === '/raw/0')?.count).toBe(2);
    expect(rows.some((r) => r.key === `/raw/${STAT_TX_MAX_COUNT + 1}`)).toBe(false);

    const other = await store.stats(Q, 'transactions', T0 - DAY / 24, T0 + DAY / 24);
    expect(other.map((r) => r.key)).toEqual(['/raw/99999']);

    // Every transaction is still stored with the name it was sent with (hitmap, profile).
    expect((await store.getProfile(P, `bound-${String(STAT_TX_MAX_COUNT + 3).padStart(6, '0')}`))?.transaction.url)
      .toBe(`/raw/${STAT_TX_MAX_COUNT + 3}`);
  });

  it('bounds each kind and day on its own, and admits the agent’s overflow name always', () => {
    const bound = new NameBound(2);
    expect(bound.admit(P, 1, '/a', T0)).toBe('/a');
    expect(bound.admit(P, 1, '/b', T0)).toBe('/b');
    expect(bound.admit(P, 1, '/c', T0)).toBe(OVERFLOW_KEY);
    expect(bound.admit(P, 1, OVERFLOW_KEY, T0)).toBe(OVERFLOW_KEY);
    expect(bound.admit(P, 1, '/a', T0 + 1000)).toBe('/a');
    expect(bound.admit(P, 2, 'SELECT 1', T0)).toBe('SELECT 1'); // SQL texts have their own bound
    expect(bound.admit(P, 1, '/c', T0 + DAY)).toBe('/c'); // a new day starts over
    expect(bound.overflowed).toBe(1);
  });

  it('uses the same overflow name as the agent and the console', () => {
    const python = readFileSync(join(__dirname, '../../agent/src/whatap/tracer/naming.py'), 'utf8');
    expect(python).toContain(`OVERFLOW_NAME = "${OVERFLOW_KEY}"`);
    expect(OVERFLOW_NAME).toBe(OVERFLOW_KEY);
  });
});
