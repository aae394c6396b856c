import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatKind } from '../../../src/api/stats';
import { seededRandom } from '../../demo/generator';
import { makeTransaction } from '../../testing/telemetry-records';
import { makeCounter } from '../conformance/fixtures';
import type { CounterRecord, TransactionRecord } from '../telemetry-store';
import type { SqliteDatabase } from './db';
import { COMPACTION_GRACE_MS } from './telemetry-compactor';
import { COUNTER_LEVELS, COUNTER_MINUTES, DAY, HOUR, planRange, readCoverage, STAT_LEVELS, STAT_MINUTES } from './telemetry-levels';
import { openTelemetryDb, telemetryMigrations } from './telemetry-schema';
import { SeriesQueries } from './telemetry-series';
import { openSqliteTelemetryStore, type SqliteTelemetryStore } from './telemetry-store';
import { openDatabase } from './db';

const P = 'aaaaaaaa';
const MIN = 60_000;
/** The end of the generated data: not aligned to an hour, so the last hour is partial. */
const END = Date.UTC(2025, 10, 25, 8, 37, 0);
const SPAN = 3 * DAY + 5 * HOUR;
const KINDS: StatKind[] = ['transactions', 'sql', 'httpc', 'errors'];

describe('range planning over roll-up levels', () => {
  const whole = { doneTo: Number.MAX_SAFE_INTEGER, completeFrom: 0 };
  const describeSegments = (segments: ReturnType<typeof planRange>) =>
    segments.map((s) => `${s.level.table} ${new Date(s.from).toISOString().slice(5, 16)}…${new Date(s.to).toISOString().slice(5, 16)}`);

  it('reads whole days and hours from the coarse tables and the minutes at both edges', () => {
    const from = Date.UTC(2025, 10, 20, 22, 17);
    const to = Date.UTC(2025, 10, 23, 3, 4);
    expect(describeSegments(planRange(from, to, whole, STAT_LEVELS, STAT_MINUTES))).toEqual([
      'rollup_1m 11-20T22:17…11-20T23:00',
      'rollup_1h 11-20T23:00…11-21T00:00',
      'rollup_1d 11-21T00:00…11-23T00:00',
      'rollup_1h 11-23T00:00…11-23T03:00',
      'rollup_1m 11-23T03:00…11-23T03:04',
    ]);
  });

  it('uses coarse periods only inside the coverage, and minutes for everything else', () => {
    const from = Date.UTC(2025, 10, 20, 0, 0);
    const to = Date.UTC(2025, 10, 23, 0, 0);
    const coverage = { completeFrom: Date.UTC(2025, 10, 20, 10, 30), doneTo: Date.UTC(2025, 10, 22, 13, 58) };
    expect(describeSegments(planRange(from, to, coverage, STAT_LEVELS, STAT_MINUTES))).toEqual([
      'rollup_1m 11-20T00:00…11-20T11:00',
      'rollup_1h 11-20T11:00…11-21T00:00',
      'rollup_1d 11-21T00:00…11-22T00:00',
      'rollup_1h 11-22T00:00…11-22T13:00',
      'rollup_1m 11-22T13:00…11-23T00:00',
    ]);
    expect(planRange(from, to, { doneTo: 0, completeFrom: 0 }, STAT_LEVELS, STAT_MINUTES)).toEqual([
      { level: STAT_MINUTES, from, to },
    ]);
    expect(planRange(from, from + 50 * MIN, whole, STAT_LEVELS, STAT_MINUTES)).toEqual([{ level: STAT_MINUTES, from, to: from + 50 * MIN }]);
    expect(planRange(from, from, whole, STAT_LEVELS, STAT_MINUTES)).toEqual([]);
    const counters = planRange(from + 3 * MIN, from + 47 * MIN, whole, COUNTER_LEVELS, COUNTER_MINUTES);
    expect(counters.map((s) => [s.level.table, (s.from - from) / MIN, (s.to - from) / MIN])).toEqual([
      ['counter_1m', 3, 10],
      ['counter_10m', 10, 40],
      ['counter_1m', 40, 47],
    ]);
  });
});

/** Transactions of 3 agents over SPAN before END: latencies in quarter milliseconds, so that every sum is exact. */
function generate(seed: number, n: number, exact = true): TransactionRecord[] {
  const rand = seededRandom(seed);
  const ms = (max: number) => (exact ? Math.round(rand() * max * 4) / 4 : rand() * max);
  const out: TransactionRecord[] = [];
  for (let i = 0; i < n; i++) {
    // Now and then two errors of one class at the same time: the example is decided by txid.
    const end = i % 97 === 1 ? out[i - 1]!.end : Math.round(END - rand() * SPAN);
    const failing = i % 97 === 1 || rand() < 0.08;
    const sqlElapsed = ms(40);
    out.push(
      makeTransaction({
        txid: `s${seed}-${String(i).padStart(7, '0')}`,
        end,
        elapsed: ms(2000) + sqlElapsed,
        agentId: 1 + Math.floor(rand() * 3),
        url: ['/a', '/b', '/c/{id}', '/d'][Math.floor(rand() * 4)]!,
        errorClass: failing ? ['KeyError', 'TimeoutError'][Math.floor(rand() * 2)]! : null,
        errorMessage: failing ? `failure ${i}` : null,
        sqlTime: sqlElapsed,
        httpcTime: 0,
        steps: [
          { kind: 'sql', start: 1, elapsed: sqlElapsed, text: ['SELECT 1', 'SELECT 2'][i % 2]! },
          ...(rand() < 0.3 ? [{ kind: 'httpc' as const, start: 2, elapsed: ms(300), text: 'http://api/x?id=1', status: rand() < 0.1 ? 503 : 200 }] : []),
        ],
      }),
    );
  }
  return out;
}

/** Counter samples every 2 minutes per agent over SPAN, values in quarters. */
function generateCounters(seed: number): CounterRecord[] {
  const rand = seededRandom(seed);
  const out: CounterRecord[] = [];
  for (let t = Math.ceil((END - SPAN) / 5000) * 5000; t < END; t += 2 * MIN) {
    for (const agentId of [1, 2, 3]) {
      const q = (max: number) => Math.round(rand() * max * 4) / 4;
      out.push(makeCounter({ agentId, time: t, tps: q(50), txCount: Math.round(rand() * 200), respTime: q(300), cpu: q(100), apdex: 0.5 }));
    }
  }
  return out;
}

/** Ranges to compare: long and short, aligned and not, at the edges of the data and beyond. */
function ranges(seed: number): Array<[number, number]> {
  const rand = seededRandom(seed);
  const out: Array<[number, number]> = [
    [END - 31 * DAY, END],
    [END - 7 * DAY + 1234, END + 5 * MIN],
    [END - SPAN - HOUR, END - 2 * DAY],
    [END - DAY, END],
    [END - 2 * DAY - 17 * MIN - 555, END - 3 * HOUR + 59_999],
    [END - 5 * HOUR - 1, END - 4 * HOUR + 1],
    [END - 61 * MIN, END],
    [END - 10 * MIN, END],
  ];
  for (let i = 0; i < 6; i++) {
    const a = END - SPAN - HOUR + Math.floor(rand() * (SPAN + 2 * HOUR));
    out.push([a, a + Math.floor(rand() * 2 * DAY)]);
  }
  return out;
}

describe('coarse roll-ups (hourly, daily, 10-minute counters)', () => {
  let dir: string;
  let store: SqliteTelemetryStore;
  let db: SqliteDatabase;
  let series: SeriesQueries;
  const file = () => join(dir, 'telemetry.sqlite');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapscope-levels-'));
  });
  afterEach(async () => {
    await store?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    store = openSqliteTelemetryStore(file(), { compactEveryMs: 0 });
    db = openTelemetryDb(file());
    series = new SeriesQueries(db);
  };
  const write = async (txs: TransactionRecord[], counters: CounterRecord[] = []) => {
    for (let i = 0; i < txs.length; i += 500) await store.writeTransactions(txs.slice(i, i + 500));
    for (let i = 0; i < counters.length; i += 500) await store.writeCounters(counters.slice(i, i + 500));
  };
  const coarseRows = () =>
    ['rollup_1h', 'rollup_1d', 'counter_10m'].map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);

  /** Every range, kind and agent filter answers the same with and without the coarse tables. */
  const expectSameAsMinutes = (exact = true) => {
    let compared = 0;
    for (const [from, to] of ranges(5)) {
      for (const kind of KINDS) {
        for (const agent of [undefined, 2]) {
          const coarse = series.stats(P, kind, from, to, agent);
          const minutes = series.stats(P, kind, from, to, agent, false);
          if (exact) expect(coarse, `${kind} ${from}…${to} agent ${agent}`).toEqual(minutes);
          else {
            expect(coarse.map((r) => r.key).sort()).toEqual(minutes.map((r) => r.key).sort());
            for (const r of coarse) {
              const m = minutes.find((x) => x.key === r.key)!;
              const { avg, total, sqlTime, httpcTime, ...rest } = r;
              const { avg: mAvg, total: mTotal, sqlTime: mSql, httpcTime: mHttpc, ...mRest } = m;
              expect(rest).toEqual(mRest);
              for (const [a, b] of [[avg, mAvg], [total, mTotal], [sqlTime, mSql], [httpcTime, mHttpc]] as const) {
                if (a === undefined || b === undefined) expect(a).toBe(b);
                else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
              }
            }
          }
          compared += coarse.length;
        }
      }
      if (to - from > 5.3 * DAY) {
        for (const agent of [undefined, 3]) {
          // The store's own step, and steps a chart asks for (10-minute periods fit in 20 min and 2 h, not in 5 min).
          for (const step of [undefined, 5 * MIN, 20 * MIN, 2 * HOUR]) {
            expect(series.counters(P, from, to, agent, step)).toEqual(series.counters(P, from, to, agent, step, false));
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  };

  it('answers exactly what the minute roll-ups answer, before, during and after compaction, late writes and retention', async () => {
    open();
    const txs = generate(1, 6000);
    const counters = generateCounters(2);
    await write(txs, counters);
    expect(coarseRows()).toEqual([0, 0, 0]);
    expectSameAsMinutes();

    // Half of the data folded.
    const half = END - 1.5 * DAY;
    await store.compactRollups(half);
    expect(readCoverage(db, P).doneTo).toBe(Math.floor((half - COMPACTION_GRACE_MS) / MIN) * MIN);
    expectSameAsMinutes();

    // All of it: the long ranges now read days and hours.
    await store.compactRollups(END + HOUR);
    expect(readCoverage(db, P).doneTo).toBe(END + HOUR - COMPACTION_GRACE_MS);
    const [hours, days, tenMinutes] = coarseRows();
    expect(days).toBeGreaterThan(0);
    expect(hours).toBeGreaterThan(days!);
    expect(tenMinutes).toBeGreaterThan(0);
    expectSameAsMinutes();
    const all = series.stats(P, 'transactions', END - 31 * DAY, END);
    expect(all.reduce((s, r) => s + r.count, 0)).toBe(txs.length);

    // Late data into folded minutes (an agent resending after an outage), and resends of stored rows.
    // Some late errors happen at the very time of a stored one on another agent: the example
    // kept is decided by txid, whichever arrived first and whichever rows were merged.
    const latestPerHour = new Map<string, TransactionRecord>();
    for (const t of txs) {
      const id = `${t.errorClass}/${Math.floor(t.end / HOUR)}`;
      if (t.errorClass !== null && t.end > (latestPerHour.get(id)?.end ?? 0)) latestPerHour.set(id, t);
    }
    const ties = [...latestPerHour.values()]
      .sort((a, b) => b.end - a.end)
      .slice(0, 60)
      .map((t, i) => ({ ...t, txid: `${i % 2 ? '0' : 'z'}tie-${String(i).padStart(4, '0')}`, agentId: (t.agentId % 3) + 1, errorMessage: `tie ${i}` }));
    const late = [...generate(3, 1500), ...ties];
    const lateCounters = generateCounters(4)
      .filter((_, i) => i % 5 === 0)
      .map((c) => ({ ...c, pid: 11 })); // another process of the agent: new samples of old slots
    await write([...late, ...txs.slice(0, 300)], lateCounters);
    expectSameAsMinutes();
    expect(series.stats(P, 'transactions', END - 31 * DAY, END).reduce((s, r) => s + r.count, 0)).toBe(txs.length + late.length);

    // Retention cuts a day and an hour in the middle: what is left of them is read from minutes.
    const now = END - SPAN + 17 * MIN + 90 * DAY + 7 * HOUR;
    await store.applyRetention({ rawDays: 1, rollupDays: 90 }, now);
    const cut = Math.floor((now - 90 * DAY) / MIN) * MIN;
    expect(readCoverage(db, P).completeFrom).toBe(cut);
    expect(db.prepare('SELECT count(*) FROM rollup_1h WHERE period < ?').pluck().get(cut)).toBe(0);
    expectSameAsMinutes();
    // Compacting again changes nothing.
    await store.compactRollups(END + 2 * HOUR);
    expectSameAsMinutes();
  });

  it('agrees with the minute roll-ups within float rounding when latencies are arbitrary', async () => {
    open();
    await write(generate(7, 3000, false));
    await store.compactRollups(END - DAY);
    expectSameAsMinutes(false);
    await store.compactRollups(END + HOUR);
    expectSameAsMinutes(false);
  });

  it('folds a database written before the coarse tables existed, in the background', async () => {
    // Minute roll-ups as a version 1 database holds them (written here by the current store elsewhere).
    const source = join(dir, 'source.sqlite');
    store = openSqliteTelemetryStore(source, { compactEveryMs: 0 });
    await write(generate(9, 2000), generateCounters(10));
    await store.close();
    const v1 = openDatabase(file(), { synchronous: 'NORMAL', migrations: telemetryMigrations.filter((m) => m.version === 1) });
    v1.exec(`ATTACH '${source}' AS source`);
    for (const t of ['rollup_1m', 'counter_1m', 'counter', 'tx_project']) v1.exec(`INSERT INTO ${t} SELECT * FROM source.${t}`);
    v1.exec('DETACH source');
    v1.close();

    // Opening it upgrades the schema; the writer thread folds the old minutes on its own.
    store = openSqliteTelemetryStore(file(), { compactEveryMs: 50 });
    db = openTelemetryDb(file());
    series = new SeriesQueries(db);
    await expect.poll(() => readCoverage(db, P).doneTo, { timeout: 10_000 }).toBeGreaterThan(END);
    expect(coarseRows().every((n) => n > 0)).toBe(true);
    expectSameAsMinutes();
  });
});
