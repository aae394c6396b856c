import type Database from 'better-sqlite3';
import { HITMAP_FLAG_ERROR, HITMAP_MAGIC, type HitmapPoint, type HitmapQuery } from '../../../src/api/hitmap';

/** encodeHitmap (src/api/hitmap.ts) for columns instead of point objects: same bytes. */
function encodeHitmapColumns(
  n: number,
  endAbs: Float64Array,
  elapsedMs: Float64Array,
  agentIds: Uint32Array,
  errFlags: Uint8Array,
  cursor: number,
): Uint8Array {
  let base = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) if (endAbs[i]! < base) base = endAbs[i]!;
  if (!Number.isFinite(base)) base = 0;
  const buf = new ArrayBuffer(24 + n * 13);
  const view = new DataView(buf);
  view.setUint32(0, HITMAP_MAGIC, true);
  view.setUint32(4, n, true);
  view.setFloat64(8, base, true);
  view.setFloat64(16, cursor, true);
  const end = new Uint32Array(buf, 24, n);
  const elapsed = new Uint32Array(buf, 24 + n * 4, n);
  const agent = new Uint32Array(buf, 24 + n * 8, n);
  const flags = new Uint8Array(buf, 24 + n * 12, n);
  for (let i = 0; i < n; i++) {
    end[i] = Math.max(0, Math.round(endAbs[i]! - base));
    elapsed[i] = Math.max(0, Math.round(elapsedMs[i]!));
    agent[i] = agentIds[i]!;
    flags[i] = errFlags[i] ? HITMAP_FLAG_ERROR : 0;
  }
  return new Uint8Array(buf);
}

/** Growable columns the SQL aggregate below fills, one call per row and no per-row objects. */
class Columns {
  n = 0;
  lastId = 0;
  end = new Float64Array(1024);
  elapsed = new Float64Array(1024);
  agent = new Uint32Array(1024);
  flags = new Uint8Array(1024);

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
    this.flags[i] = err;
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
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
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
    const c = this.cols;
    return encodeHitmapColumns(c.n, c.end, c.elapsed, c.agent, c.flags, cursor);
  }

  points(pcode: string, q: HitmapQuery): { points: HitmapPoint[]; cursor: number } {
    const cursor = this.collect(pcode, q);
    const c = this.cols;
    const points: HitmapPoint[] = new Array(c.n);
    for (let i = 0; i < c.n; i++) {
      points[i] = { end: c.end[i]!, elapsed: c.elapsed[i]!, agentId: c.agent[i]!, error: c.flags[i] === 1 };
    }
    return { points, cursor };
  }
}
