import type Database from 'better-sqlite3';
import { encodeHitmapColumns, type HitmapPoint, type HitmapQuery } from '../../../src/api/hitmap';
import { type HitmapPointColumns, hitmapColumnsToPoints } from '../hitmap-columns';
import { Columns, HitmapCollector } from './hitmap-collector';
import { HitmapReaders, type HitmapSlice, type SliceColumns } from './hitmap-readers';

/** This thread's work after its slice (append, encode, send) as a share of reading all points. */
const ENCODE_SHARE = 0.3;

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
   * next time; points and cursor come from one snapshot: reader threads read theirs a moment
   * later and leave out rows above its highest id (commits come in id order, one writer at a
   * time), so they differ from it only by rows retention deleted in between.
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
   * A large read as time spans of the stored range, newest first, one per thread (the first is
   * this thread's); a small one, or one before the readers are up, as itself.
   */
  private slices(whole: HitmapSlice): HitmapSlice[] {
    if (!this.readers || this.readers.size === 0 || whole.limit < this.splitFrom) return [whole];
    if ((this.atLeast.get(whole.pcode, whole.from, whole.to, this.splitFrom) as number) < this.splitFrom) return [whole];
    const k = this.readers.available + 1;
    if (k === 1) {
      void this.readers.start();
      return [whole];
    }
    const lo = this.minEnd.get(whole.pcode, whole.from, whole.to) as number;
    const hi = this.maxEnd.get(whole.pcode, whole.from, whole.to) as number;
    if (!(hi > lo)) return [whole];
    // This thread also appends, encodes and sends the answer (about 0.3 of a read's time, measured
    // at a million points), so it takes a smaller span: the threads then finish together.
    const own = Math.max(0, (1 - ENCODE_SHARE * (k - 1)) / k);
    const bound = (i: number) => (i === 0 ? hi : i === k ? lo : hi - (hi - lo) * (own + ((1 - own) * (i - 1)) / (k - 1)));
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
