import type Database from 'better-sqlite3';
import type { HitmapPoint, HitmapQuery } from '../../../src/api/hitmap';
import { encodeHitmapColumns, type HitmapPointColumns, hitmapColumnsToPoints } from '../hitmap-columns';

/** Growable columns the SQL aggregate below fills, one call per row and no per-row objects. */
class Columns implements HitmapPointColumns {
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
    if (this.n === this.end.length) this.grow();
    const i = this.n++;
    this.end[i] = end;
    this.elapsed[i] = elapsed;
    this.agent[i] = agent;
    this.err[i] = err;
    if (id > this.lastId) this.lastId = id;
  }

  private grow(): void {
    const size = this.end.length * 2;
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

/**
 * Hitmap reads. A million points through better-sqlite3's row objects take seconds; a JS
 * aggregate fed by the covering index fills typed columns in a fraction of that.
 */
export class HitmapQueries {
  private readonly cols = new Columns();
  private readonly cache = new Map<string, Database.Statement>();
  private readonly maxId: Database.Statement;

  constructor(private readonly db: Database.Database) {
    const cols = this.cols;
    db.aggregate('hitmap_collect', {
      start: 0,
      // Typed as (total, next) by @types/better-sqlite3; SQLite passes every argument.
      step: ((n: number, id: number, end: number, elapsed: number, agent: number, err: number) => {
        cols.push(id, end, elapsed, agent, err);
        return n + 1;
      }) as (total: number, next: number) => number,
    });
    this.maxId = db.prepare('SELECT coalesce(max(id), 0) FROM tx').pluck();
  }

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql).pluck();
      this.cache.set(sql, s);
    }
    return s;
  }

  /**
   * Without a cursor: the latest `limit` points whose end lies in [from, to], from the
   * covering index. With one: points stored after that row position (the primary key, so a
   * poll costs what arrived since the last one). The cursor answered is the position to pass
   * next time; points and cursor come from one snapshot.
   */
  private collect(pcode: string, q: HitmapQuery): number {
    const limit = q.limit ?? 1_000_000;
    let extra = '';
    const args: unknown[] = [];
    if (q.agent !== undefined) {
      extra += ' AND agent_id = ?';
      args.push(q.agent);
    }
    if (q.url !== undefined) {
      extra += ' AND url = ?';
      args.push(q.url);
    }
    if (q.error !== undefined) {
      extra += ' AND err = ?';
      args.push(q.error === 'true' ? 1 : 0);
    }
    return this.db.transaction(() => {
      const top = this.maxId.get() as number;
      this.cols.reset();
      if (q.cursor === undefined) {
        this.stmt(`SELECT hitmap_collect(id, end_ms, elapsed, agent_id, err) FROM (
            SELECT id, end_ms, elapsed, agent_id, err FROM tx
            WHERE pcode = ? AND end_ms >= ? AND end_ms <= ?${extra} ORDER BY end_ms DESC LIMIT ?)`).get(
          pcode, q.from, q.to, ...args, limit,
        );
        return top;
      }
      // "+" keeps SQLite on the primary key: the range after the cursor is what is new.
      this.stmt(`SELECT hitmap_collect(id, end_ms, elapsed, agent_id, err) FROM (
          SELECT id, end_ms, elapsed, agent_id, err FROM tx
          WHERE id > ? AND +pcode = ? AND +end_ms >= ? AND +end_ms <= ?${extra} ORDER BY id LIMIT ?)`).get(
        Math.floor(q.cursor), pcode, q.from, q.to, ...args, limit,
      );
      // A capped answer resumes after its last row; otherwise after everything seen.
      return this.cols.n === limit ? this.cols.lastId : Math.max(top, Math.floor(q.cursor));
    })();
  }

  /** The wire format of src/api/hitmap.ts, built straight from the columns. */
  encoded(pcode: string, q: HitmapQuery): Uint8Array {
    const cursor = this.collect(pcode, q);
    return encodeHitmapColumns(this.cols, cursor);
  }

  points(pcode: string, q: HitmapQuery): { points: HitmapPoint[]; cursor: number } {
    const cursor = this.collect(pcode, q);
    return { points: hitmapColumnsToPoints(this.cols), cursor };
  }
}
