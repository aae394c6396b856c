import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHitmap, type HitmapQuery } from '../../../src/api/hitmap';
import { HitmapReaders } from './hitmap-readers';
import { HitmapQueries } from './telemetry-hitmap';
import type { SqliteDatabase } from './db';
import { openTelemetryDb } from './telemetry-schema';

const P = 'aaaaaaaa';
const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);
const N = 6000;

/** N rows of P over 10 minutes (runs of equal end times, fractional ms, 3 agents, every 7th failed) and 50 of another project. */
function fill(db: SqliteDatabase): void {
  db.exec(`WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${N - 1})
    INSERT INTO tx (pcode, txid, agent_id, object_name, start_ms, end_ms, elapsed, err, url, method, status,
      client_ip, user_agent, cpu, sql_count, sql_time, httpc_count, httpc_time, steps)
    SELECT '${P}', 't' || i, 1 + i % 3, 'o', 0, ${T0} + (i / 4) * 400.25, (i * 37) % 5000 + 0.5, i % 7 = 0,
      CASE WHEN i % 2 THEN '/a' ELSE '/b' END, 'GET', 200, '', '', 0, 0, 0, 0, 0, '[]' FROM s`);
  db.exec(`INSERT INTO tx (pcode, txid, agent_id, object_name, start_ms, end_ms, elapsed, err, url, method, status,
      client_ip, user_agent, cpu, sql_count, sql_time, httpc_count, httpc_time, steps)
    SELECT 'bbbbbbbb', 'o' || value, 1, 'o', 0, ${T0} + value * 1000, 5, 0, '/a', 'GET', 200, '', '', 0, 0, 0, 0, 0, '[]'
    FROM json_each('[${Array.from({ length: 50 }, (_, i) => i).join(',')}]')`);
}

describe('SQLite hitmap read in slices by reader threads', () => {
  let dir: string;
  let readers: HitmapReaders;
  let split: HitmapQueries;
  let single: HitmapQueries;
  const dbs: SqliteDatabase[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tapscope-hitmap-'));
    const file = join(dir, 'telemetry.sqlite');
    const db = openTelemetryDb(file);
    dbs.push(db);
    fill(db);
    // Two readers, so a read is three slices; any read of 10 points or more is split.
    readers = new HitmapReaders(file, 2);
    expect(await readers.start()).toBe(2);
    split = new HitmapQueries(db, readers, 10);
    const other = openTelemetryDb(file);
    dbs.push(other);
    single = new HitmapQueries(other, null);
  }, 60_000);
  afterAll(async () => {
    await split.close();
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const range = { from: T0 - 1000, to: T0 + 3_600_000 };
  const cases: [string, Partial<HitmapQuery>][] = [
    ['everything', {}],
    ['the newest point', { limit: 1 }],
    ['a limit inside the newest slice', { limit: 900 }],
    ['a limit across slices', { limit: 4321 }],
    ['a limit of exactly the count', { limit: N }],
    ['one agent', { agent: 2 }],
    ['failed transactions', { error: 'true' }],
    ['one URL, capped', { url: '/a', limit: 2500 }],
    ['a range ending on a run of equal end times', { to: T0 + 749 * 400.25 }],
  ];

  it.each(cases)('answers %s exactly as one scan does, newest first', async (_, q) => {
    const query = { ...range, ...q };
    const bytes = await split.encoded(P, query);
    expect(Buffer.from(bytes).equals(Buffer.from(await single.encoded(P, query)))).toBe(true);
    const { points, cursor } = await split.points(P, query);
    expect(await single.points(P, query)).toEqual({ points, cursor });
    expect(decodeHitmap(bytes.slice().buffer).cursor).toBe(cursor);
    for (let i = 1; i < points.length; i++) expect(points[i]!.end).toBeLessThanOrEqual(points[i - 1]!.end);
    for (const p of points) {
      expect(p.end).toBeGreaterThanOrEqual(query.from);
      expect(p.end).toBeLessThanOrEqual(query.to);
      if (q.agent !== undefined) expect(p.agentId).toBe(q.agent);
      if (q.error !== undefined) expect(p.error).toBe(true);
    }
  });

  it('answers the whole count, then only rows stored after the cursor', async () => {
    const all = await split.points(P, range);
    expect(all.points).toHaveLength(N);
    expect(all.points[0]!.end).toBe(T0 + (N / 4 - 1) * 400.25);
    expect(all.points.filter((p) => p.error)).toHaveLength(Math.ceil(N / 7));
    dbs[0]!.exec(`INSERT INTO tx (pcode, txid, agent_id, object_name, start_ms, end_ms, elapsed, err, url, method, status,
      client_ip, user_agent, cpu, sql_count, sql_time, httpc_count, httpc_time, steps)
      VALUES ('${P}', 'late', 9, 'o', 0, ${T0 + 10}, 12, 1, '/a', 'GET', 500, '', '', 0, 0, 0, 0, 0, '[]')`);
    const next = await split.points(P, { ...range, cursor: all.cursor });
    expect(next.points).toEqual([{ end: T0 + 10, elapsed: 12, agentId: 9, error: true }]);
    expect((await split.points(P, range)).points).toHaveLength(N + 1);
  });

  it('reads on its own thread when the reader threads cannot start', async () => {
    const broken = new HitmapReaders(join(dir, 'missing.sqlite'), 1, () => {});
    expect(await broken.start()).toBe(0);
    const db = openTelemetryDb(join(dir, 'telemetry.sqlite'));
    dbs.push(db);
    const alone = new HitmapQueries(db, broken, 10);
    expect(Buffer.from(await alone.encoded(P, range)).equals(Buffer.from(await single.encoded(P, range)))).toBe(true);
    await alone.close();
  }, 60_000);
});
