import type Database from 'better-sqlite3';
import type { HitmapQuery } from '../../../src/api/hitmap';
import type { HitmapPointColumns } from '../hitmap-columns';
import type { HitmapSlice, SliceColumns } from './hitmap-readers';

/** Growable columns the SQL aggregate below fills, one call per row and no per-row objects. */
export class Columns implements HitmapPointColumns {
  n = 0;
  lastId = 0;
  end = new Float64Array(1024);
  elapsed = new Float64Array(1024);
  agent = new Uint32Array(1024);
  err = new Uint8Array(1024);

  reset(): void {
    this.n = 0;
    this.lastId = 0;
  }

  push(id: number, end: number, elapsed: number, agent: number, err: number): void {
    if (this.n === this.end.length) this.grow(this.n * 2);
    const i = this.n++;
    this.end[i] = end;
    this.elapsed[i] = elapsed;
    this.agent[i] = agent;
    this.err[i] = err;
    if (id > this.lastId) this.lastId = id;
  }

  /** Appends another reader's slice (a copy per column, no per-row work). */
  append(s: SliceColumns, max: number): void {
    const n = Math.min(s.n, max);
    if (this.n + n > this.end.length) this.grow(Math.max(this.end.length * 2, this.n + n));
    this.end.set(s.end.subarray(0, n), this.n);
    this.elapsed.set(s.elapsed.subarray(0, n), this.n);
    this.agent.set(s.agent.subarray(0, n), this.n);
    this.err.set(s.err.subarray(0, n), this.n);
    this.n += n;
  }

  /** The first `n` rows as exact-size copies, to hand to another thread. */
  copy(): SliceColumns {
    return {
      n: this.n,
      end: this.end.slice(0, this.n),
      elapsed: this.elapsed.slice(0, this.n),
      agent: this.agent.slice(0, this.n),
      err: this.err.slice(0, this.n),
    };
  }

  private grow(size: number): void {
    const grow = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.end = grow(this.end, (n) => new Float64Array(n));
    this.elapsed = grow(this.elapsed, (n) => new Float64Array(n));
    this.agent = grow(this.agent, (n) => new Uint32Array(n));
    this.err = grow(this.err, (n) => new Uint8Array(n));
  }
}

/** The optional filters of a hitmap query as SQL and its arguments. */
function filterSql(q: Pick<HitmapQuery, 'agent' | 'url' | 'error'>): { sql: string; args: unknown[] } {
  let sql = '';
  const args: unknown[] = [];
  if (q.agent !== undefined) {
    sql += ' AND agent_id = ?';
    args.push(q.agent);
  }
  if (q.url !== undefined) {
    sql += ' AND url = ?';
    args.push(q.url);
  }
  if (q.error !== undefined) {
    sql += ' AND err = ?';
    args.push(q.error === 'true' ? 1 : 0);
  }
  return { sql, args };
}

/**
 * Fills typed columns from SQLite through a JS aggregate fed by the covering index: a million
 * points through better-sqlite3's row objects take seconds, this a fraction of that. Used on
 * the main thread and in the hitmap reader threads (hitmap-reader-host.ts), one per connection.
 */
export class HitmapCollector {
  /** Where the running statement's rows go (statements run synchronously, one at a time). */
  private cols = new Columns();
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    db.aggregate('hitmap_collect', {
      start: 0,
      // Typed as (total, next) by @types/better-sqlite3; SQLite passes every argument. Four at
      // most (better-sqlite3 allocates an argument array beyond that) and no result to keep:
      // about a tenth less time per row. agentErr = agent_id * 2 + err, exact below 2^52.
      step: ((_: unknown, id: number, end: number, elapsed: number, agentErr: number) => {
        const err = agentErr % 2;
        this.cols.push(id, end, elapsed, (agentErr - err) / 2, err);
      }) as (total: number, next: number) => number,
    });
  }

  stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql).pluck();
      this.cache.set(sql, s);
    }
    return s;
  }

  /**
   * The newest `limit` points of the slice, newest first, into `cols`. `+id <= top` (kept off
   * the primary key by the "+") gives a reader thread the rows of the main thread's snapshot.
   */
  slice(s: HitmapSlice, into: Columns): Columns {
    const f = filterSql(s.filters);
    into.reset();
    this.cols = into;
    this.stmt(`SELECT hitmap_collect(id, end_ms, elapsed, agent_id * 2 + err) FROM (
        SELECT id, end_ms, elapsed, agent_id, err FROM tx
        WHERE pcode = ? AND end_ms >= ? AND end_ms ${s.toInclusive ? '<=' : '<'} ? AND +id <= ?${f.sql}
        ORDER BY end_ms DESC LIMIT ?)`).get(s.pcode, s.from, s.to, s.top, ...f.args, s.limit);
    return this.cols;
  }

  /** Points stored after the cursor (a row position), in storage order. */
  after(pcode: string, q: HitmapQuery, cursor: number, limit: number, into: Columns): Columns {
    const f = filterSql(q);
    into.reset();
    this.cols = into;
    // "+" keeps SQLite on the primary key: the range after the cursor is what is new.
    this.stmt(`SELECT hitmap_collect(id, end_ms, elapsed, agent_id * 2 + err) FROM (
        SELECT id, end_ms, elapsed, agent_id, err FROM tx
        WHERE id > ? AND +pcode = ? AND +end_ms >= ? AND +end_ms <= ?${f.sql} ORDER BY id LIMIT ?)`).get(
      cursor, pcode, q.from, q.to, ...f.args, limit,
    );
    return this.cols;
  }
}
