import { MINUTE, ROLLUP_KIND } from '../rollup-accumulator';
import type { RetentionPolicy } from '../telemetry-store';
import type { SqliteDatabase } from './db';
import type { RollupCompactor } from './telemetry-compactor';

const DAY = 86_400_000;
/** Rows deleted per statement, so a delete never holds the writer up for long. */
const DELETE_CHUNK = 5000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes run on the writer's connection (the only one that writes), in chunks with a turn of
 * the event loop between them so that ingest commits interleave.
 */
export class TelemetryMaintenance {
  private stopped = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly compactor: RollupCompactor,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  private async deleteChunked(sql: string, ...args: unknown[]): Promise<number> {
    const stmt = this.db.prepare(sql);
    let total = 0;
    for (;;) {
      if (this.stopped) return total;
      const n = stmt.run(...args, DELETE_CHUNK).changes;
      total += n;
      if (n < DELETE_CHUNK) return total;
      await yieldToEventLoop();
    }
  }

  /**
   * With compaction held back: its progress is forgotten first, so that rows written while the
   * delete runs go to the minute tables only and are folded afresh afterwards.
   */
  async deleteProject(pcode: string): Promise<void> {
    await this.compactor.pause(async () => {
      this.db.prepare('DELETE FROM rollup_compaction WHERE pcode = ?').run(pcode);
      this.compactor.forget(pcode);
      await this.deleteChunked('DELETE FROM tx WHERE id IN (SELECT id FROM tx WHERE pcode = ? LIMIT ?)', pcode);
      // Minute tables before the coarse ones: nothing left to fold into them once they are gone.
      for (const t of ['counter', 'counter_1m', 'rollup_1m', 'counter_10m', 'rollup_1h', 'rollup_1d', 'rollup_1h_agent', 'rollup_1d_agent']) {
        if (this.stopped) return;
        this.db.prepare(`DELETE FROM ${t} WHERE pcode = ?`).run(pcode);
        await yieldToEventLoop();
      }
      this.db.prepare('DELETE FROM tx_project WHERE pcode = ?').run(pcode);
    });
  }

  /**
   * Raw transactions and counters older than rawDays, roll-ups older than rollupDays. A coarse
   * period that started before the roll-up cut-off is deleted whole, and the project's coverage
   * starts at the cut-off from now on: queries read the minutes left of such a period instead.
   */
  async applyRetention(policy: RetentionPolicy, now: number): Promise<{ deleted: number }> {
    const rawBefore = now - policy.rawDays * DAY;
    const rollupBefore = Math.floor((now - policy.rollupDays * DAY) / MINUTE) * MINUTE;
    let deleted = 0;
    const projects = this.db.prepare('SELECT pcode FROM tx_project').pluck().all() as string[];
    for (const pcode of projects) {
      // Before any minute goes: a coarse period keeps counting minutes that are being deleted.
      this.limitCoverage(pcode, rollupBefore);
      // Each delete walks a primary-key or index range of one project: no full-table scans.
      deleted += await this.deleteChunked(
        'DELETE FROM tx WHERE id IN (SELECT id FROM tx WHERE pcode = ? AND end_ms < ? LIMIT ?)',
        pcode, rawBefore,
      );
      deleted += await this.deleteChunked(
        `DELETE FROM counter WHERE (pcode, time, agent_id, pid) IN
           (SELECT pcode, time, agent_id, pid FROM counter WHERE pcode = ? AND time < ? LIMIT ?)`,
        pcode, rawBefore,
      );
      deleted += await this.deleteChunked(
        `DELETE FROM counter_1m WHERE (pcode, minute, agent_id) IN
           (SELECT pcode, minute, agent_id FROM counter_1m WHERE pcode = ? AND minute < ? LIMIT ?)`,
        pcode, rollupBefore,
      );
      for (const kind of Object.values(ROLLUP_KIND)) {
        deleted += await this.deleteChunked(
          `DELETE FROM rollup_1m WHERE (pcode, kind, minute, agent_id, key) IN
             (SELECT pcode, kind, minute, agent_id, key FROM rollup_1m
              WHERE pcode = ? AND kind = ? AND minute < ? LIMIT ?)`,
          pcode, kind, rollupBefore,
        );
      }
      deleted += await this.deleteCoarse(pcode, rollupBefore);
    }
    return { deleted };
  }

  /** From now on no query reads a coarse period of the project that starts before `before`. */
  private limitCoverage(pcode: string, before: number): void {
    this.db
      .prepare(
        `INSERT INTO rollup_compaction (pcode, done_to, complete_from) VALUES (?, 0, ?)
         ON CONFLICT (pcode) DO UPDATE SET complete_from = max(complete_from, excluded.complete_from)`,
      )
      .run(pcode, before);
  }

  private async deleteCoarse(pcode: string, before: number): Promise<number> {
    let deleted = 0;
    for (const table of ['rollup_1h', 'rollup_1d']) {
      for (const kind of Object.values(ROLLUP_KIND)) {
        deleted += await this.deleteChunked(
          `DELETE FROM ${table} WHERE (pcode, kind, period, key) IN
             (SELECT pcode, kind, period, key FROM ${table} WHERE pcode = ? AND kind = ? AND period < ? LIMIT ?)`,
          pcode, kind, before,
        );
      }
    }
    for (const table of ['rollup_1h_agent', 'rollup_1d_agent']) {
      for (const kind of Object.values(ROLLUP_KIND)) {
        deleted += await this.deleteChunked(
          `DELETE FROM ${table} WHERE (pcode, kind, agent_id, period, key) IN
             (SELECT pcode, kind, agent_id, period, key FROM ${table} WHERE pcode = ? AND kind = ? AND period < ? LIMIT ?)`,
          pcode, kind, before,
        );
      }
    }
    deleted += await this.deleteChunked(
      `DELETE FROM counter_10m WHERE (pcode, period, agent_id) IN
         (SELECT pcode, period, agent_id FROM counter_10m WHERE pcode = ? AND period < ? LIMIT ?)`,
      pcode, before,
    );
    return deleted;
  }
}
