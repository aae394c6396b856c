import type Database from 'better-sqlite3';
import { MINUTE, ROLLUP_KIND } from '../rollup-accumulator';
import { CoarseWriter, type StatAddition } from './telemetry-coarse-writer';
import { COUNTER_COLUMNS, COUNTER_SUMS, COUNTER_UPSERT_SET, HOUR, statAggregates, TEN_MINUTES } from './telemetry-levels';

/**
 * Minutes are folded this long after they end: by then their transactions and counters have
 * arrived (agents send every 5 s). Whatever comes later still counts: the writer adds it to
 * the coarse tables itself (see `doneTo`).
 */
export const COMPACTION_GRACE_MS = 2 * MINUTE;
/** Each chunk is one SQLite transaction on the writer's connection: keep it short, so commits interleave. */
const CHUNK_TARGET_MS = 25;
const MAX_CHUNK_MINUTES = 1440;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Folds the minute roll-ups (rollup_1m, counter_1m) of completed minutes into the coarse tables
 * (telemetry-levels.ts), project by project, oldest minutes first, in short chunks. Runs on the
 * writer's connection (the only one that writes), so chunks and ingest commits never overlap:
 * a minute before `doneTo(pcode)` is in the coarse tables, and the writer adds any later
 * write to such a minute to them too. A database without coarse rows (an upgrade, a bulk load)
 * is caught up the same way, from its oldest minute.
 */
export class RollupCompactor {
  readonly coarse: CoarseWriter;
  private readonly done = new Map<string, number>();
  private readonly firstAfter: Array<Database.Statement>;
  private readonly nextProject: Database.Statement[];
  private readonly statChunk: Database.Statement[];
  private readonly agentStatChunk: Database.Statement[];
  private readonly counterChunk: Database.Statement;
  private readonly saveDone: Database.Statement;
  private chunkMinutes = 60;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private paused = 0;

  constructor(private readonly db: Database.Database) {
    this.coarse = new CoarseWriter(db);
    for (const r of db.prepare('SELECT pcode, done_to FROM rollup_compaction').all() as Array<{ pcode: string; done_to: number }>)
      this.done.set(r.pcode, r.done_to);
    // Index seeks only: the first minute of each table (and kind) at or after a time, the next project.
    this.firstAfter = [
      ...Object.values(ROLLUP_KIND).map((kind) =>
        db.prepare(`SELECT minute FROM rollup_1m WHERE pcode = ? AND kind = ${kind} AND minute >= ? ORDER BY minute LIMIT 1`).pluck(),
      ),
      db.prepare('SELECT minute FROM counter_1m WHERE pcode = ? AND minute >= ? ORDER BY minute LIMIT 1').pluck(),
    ];
    this.nextProject = ['rollup_1m', 'counter_1m'].map((t) =>
      db.prepare(`SELECT pcode FROM ${t} WHERE pcode > ? ORDER BY pcode LIMIT 1`).pluck(),
    );
    this.statChunk = [false, true].map((errors) =>
      db.prepare(`
        SELECT pcode, kind, minute - minute % ${HOUR} AS at, key, ${statAggregates(errors)}
        FROM rollup_1m WHERE pcode = ? AND kind = ? AND minute >= ? AND minute < ?
        GROUP BY at, key`),
    );
    this.agentStatChunk = [false, true].map((errors) =>
      db.prepare(`
        SELECT pcode, kind, minute - minute % ${HOUR} AS at, agent_id, key, ${statAggregates(errors)}
        FROM rollup_1m WHERE pcode = ? AND kind = ? AND minute >= ? AND minute < ?
        GROUP BY at, agent_id, key`),
    );
    this.counterChunk = db.prepare(`
      INSERT INTO counter_10m (pcode, period, agent_id, ${COUNTER_COLUMNS})
      SELECT pcode, minute - minute % ${TEN_MINUTES} AS p, agent_id, ${COUNTER_SUMS}
      FROM counter_1m WHERE pcode = ? AND minute >= ? AND minute < ?
      GROUP BY p, agent_id
      ON CONFLICT (pcode, period, agent_id) DO UPDATE SET ${COUNTER_UPSERT_SET}`);
    this.saveDone = db.prepare(`
      INSERT INTO rollup_compaction (pcode, done_to, complete_from) VALUES (?, ?, 0)
      ON CONFLICT (pcode) DO UPDATE SET done_to = excluded.done_to`);
  }

  /** Minutes of the project before this are in the coarse tables (0: none). */
  doneTo(pcode: string): number {
    return this.done.get(pcode) ?? 0;
  }

  /** Compacts now and then every `everyMs` (unref'd timers) until stop(). */
  start(everyMs: number): void {
    if (everyMs <= 0 || this.timer) return;
    const tick = () => {
      if (!this.stopped) this.runIfIdle(Date.now());
    };
    setImmediate(tick);
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Folds every project's minutes up to `now` minus the grace; resolves when caught up (or stopped, or paused). */
  async run(now: number): Promise<void> {
    // One run at a time: no await between seeing none running and starting this one.
    while (this.running) await this.running.catch(() => {});
    const run = this.catchUp(now).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private runIfIdle(now: number): void {
    if (this.running) return;
    this.run(now).catch((err: unknown) => {
      // A failed chunk rolled back whole; the next run starts from the same place.
      console.error(`tapscope: telemetry store: roll-up compaction: ${String(err)}`);
    });
  }

  /** Holds compaction back while maintenance deletes a project (see TelemetryMaintenance). */
  async pause<T>(work: () => Promise<T>): Promise<T> {
    this.paused++;
    try {
      await this.idle();
      return await work();
    } finally {
      this.paused--;
    }
  }

  private async idle(): Promise<void> {
    // A failed run was reported by whoever started it.
    while (this.running) await this.running.catch(() => {});
  }

  /** Forgets a project's progress (its rows are being deleted); the caller deletes the stored row. */
  forget(pcode: string): void {
    this.done.delete(pcode);
  }

  private async catchUp(now: number): Promise<void> {
    const target = Math.floor((now - COMPACTION_GRACE_MS) / MINUTE) * MINUTE;
    for (const pcode of this.projects()) {
      for (;;) {
        if (this.stopped || this.paused > 0) return;
        if (this.step(pcode, target)) break;
        await yieldToEventLoop();
      }
    }
  }

  /** Every project with minute rows, by skipping through the primary keys. */
  private projects(): string[] {
    const found = new Set<string>();
    for (const next of this.nextProject) {
      for (let p = next.get('') as string | undefined; p !== undefined; p = next.get(p) as string | undefined) found.add(p);
    }
    return [...found];
  }

  /** One chunk of one project, in one transaction. True when the project is caught up to `target`. */
  private step(pcode: string, target: number): boolean {
    const done = this.doneTo(pcode);
    if (done >= target) return true;
    let first = Number.POSITIVE_INFINITY;
    for (const s of this.firstAfter) first = Math.min(first, (s.get(pcode, done) as number | undefined) ?? first);
    const from = Math.max(done, first);
    const to = from >= target ? target : Math.min(target, from + this.chunkMinutes * MINUTE);
    const started = performance.now();
    // IMMEDIATE: a chunk reads before it writes, and a deferred transaction that cannot get
    // the write lock then (the index thread's RESTART checkpoint holds it) fails instead of waiting.
    this.db
      .transaction(() => {
        if (from < to) this.fold(pcode, from, to);
        this.saveDone.run(pcode, to);
      })
      .immediate();
    this.done.set(pcode, to);
    if (from < to) {
      // Size the next chunk so that it takes about CHUNK_TARGET_MS.
      const minutes = (to - from) / MINUTE;
      const ms = Math.max(1, performance.now() - started);
      // Grow slowly (the next minutes may be denser), shrink at once.
      const fit = Math.round((minutes * CHUNK_TARGET_MS) / ms);
      this.chunkMinutes = Math.max(1, Math.min(MAX_CHUNK_MINUTES, 2 * this.chunkMinutes, fit));
    }
    return to >= target;
  }

  private fold(pcode: string, from: number, to: number): void {
    for (const kind of Object.values(ROLLUP_KIND)) {
      const rows = this.statChunk[kind === ROLLUP_KIND.errors ? 1 : 0]!.all(pcode, kind, from, to) as StatAddition[];
      for (const r of rows) this.coarse.addStat(r);
      const agentRows = this.agentStatChunk[kind === ROLLUP_KIND.errors ? 1 : 0]!.all(pcode, kind, from, to) as Array<
        StatAddition & { agent_id: number }
      >;
      for (const r of agentRows) this.coarse.addAgentStat(r);
    }
    this.counterChunk.run(pcode, from, to);
  }
}
