import type Database from 'better-sqlite3';
import { encodeHitmapColumns, type HitmapPoint, type HitmapQuery } from '../../../src/api/hitmap';
import { type HitmapPointColumns, hitmapColumnsToPoints } from '../hitmap-columns';
import { HitmapReaders, type HitmapSlice, type SliceColumns } from './hitmap-readers';

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

/**
 * Hitmap reads. A full range is read in time slices at once: the newest by this thread, the
 * others by reader threads over their own connections (hitmap-readers.ts), so a million points
 * take about 1/threads of the time; the slices' newest-first concatenation, cut at the limit,
 * is exactly what one scan would give.
 */
export class HitmapQueries {
  private readonly collector: HitmapCollector;
  private readonly maxId: Database.Statement;
  private readonly minEnd: Database.Statement;
  private readonly maxEnd: Database.Statement;
  private readonly atLeast: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    /** Reader threads besides this one; none for an in-memory database. */
    private readonly readers: HitmapReaders | null = db.memory ? null : new HitmapReaders(db.name),
    /** Reads of fewer points stay on this thread (and do not start the readers). */
    private readonly splitFrom = 100_000,
  ) {
    this.collector = new HitmapCollector(db);
    this.maxId = db.prepare('SELECT coalesce(max(id), 0) FROM tx').pluck();
    // Two queries, so each is one index probe (SQLite's min/max optimisation takes one aggregate).
    this.minEnd = db.prepare('SELECT min(end_ms) FROM tx WHERE pcode = ? AND end_ms >= ? AND end_ms <= ?').pluck();
    this.maxEnd = db.prepare('SELECT max(end_ms) FROM tx WHERE pcode = ? AND end_ms >= ? AND end_ms <= ?').pluck();
    this.atLeast = db
      .prepare('SELECT count(*) FROM (SELECT 1 FROM tx WHERE pcode = ? AND end_ms >= ? AND end_ms <= ? LIMIT ?)')
      .pluck();
  }

  /**
   * Without a cursor: the latest `limit` points whose end lies in [from, to], from the
   * covering index. With one: points stored after that row position (the primary key, so a
   * poll costs what arrived since the last one). The cursor answered is the position to pass
   * next time; points and cursor come from one snapshot (reader threads leave out rows above
   * its highest id).
   */
  private async collect(pcode: string, q: HitmapQuery): Promise<{ cols: HitmapPointColumns; cursor: number }> {
    const limit = q.limit ?? 1_000_000;
    if (q.cursor !== undefined) {
      const cursor = Math.floor(q.cursor);
      return this.db.transaction(() => {
        const top = this.maxId.get() as number;
        const cols = this.collector.after(pcode, q, cursor, limit, new Columns());
        // A capped answer resumes after its last row; otherwise after everything seen.
        return { cols, cursor: cols.n === limit ? cols.lastId : Math.max(top, cursor) };
      })();
    }
    let pending: Promise<SliceColumns[]> | null = null;
    const { cols, whole } = this.db.transaction(() => {
      const top = this.maxId.get() as number;
      const filters = { agent: q.agent, url: q.url, error: q.error };
      const whole: HitmapSlice = { pcode, from: q.from, to: q.to, toInclusive: true, top, limit, filters };
      const slices = this.slices(whole);
      if (slices.length > 1) pending = this.readers!.read(slices.slice(1));
      return { cols: this.collector.slice(slices[0]!, new Columns()), whole };
    })();
    if (pending === null) return { cols, cursor: whole.top };
    let older: SliceColumns[];
    try {
      older = await (pending as Promise<SliceColumns[]>);
    } catch {
      // A reader thread failed (the pool reported it): read the whole range here instead.
      return { cols: this.collector.slice(whole, new Columns()), cursor: whole.top };
    }
    for (const s of older) cols.append(s, limit - cols.n);
    return { cols, cursor: whole.top };
  }

  /**
   * A large read as equal time spans of the stored range, newest first, one per thread (the
   * first is this thread's); a small one, or one before the readers are up, as itself.
   */
  private slices(whole: HitmapSlice): HitmapSlice[] {
    if (!this.readers || this.readers.size === 0) return [whole];
    if ((this.atLeast.get(whole.pcode, whole.from, whole.to, this.splitFrom) as number) < this.splitFrom) return [whole];
    const k = this.readers.available + 1;
    if (k === 1) {
      void this.readers.start();
      return [whole];
    }
    const lo = this.minEnd.get(whole.pcode, whole.from, whole.to) as number;
    const hi = this.maxEnd.get(whole.pcode, whole.from, whole.to) as number;
    if (!(hi > lo)) return [whole];
    const bound = (i: number) => (i === 0 ? hi : i === k ? lo : hi - ((hi - lo) * i) / k);
    return Array.from({ length: k }, (_, i) => ({ ...whole, from: bound(i + 1), to: bound(i), toInclusive: i === 0 }));
  }

  /** The wire format of src/api/hitmap.ts, built straight from the columns. */
  async encoded(pcode: string, q: HitmapQuery): Promise<Uint8Array> {
    const { cols, cursor } = await this.collect(pcode, q);
    return encodeHitmapColumns(cols, cursor);
  }

  async points(pcode: string, q: HitmapQuery): Promise<{ points: HitmapPoint[]; cursor: number }> {
    const { cols, cursor } = await this.collect(pcode, q);
    return { points: hitmapColumnsToPoints(cols), cursor };
  }

  close(): Promise<void> {
    return this.readers?.close() ?? Promise.resolve();
  }
}
