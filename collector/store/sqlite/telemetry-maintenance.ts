import { MINUTE, ROLLUP_KIND } from '../../rollup/accumulator';
import type { RetentionPolicy } from '../telemetry-store';
import type { SqliteDatabase } from './db';

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

  constructor(private readonly db: SqliteDatabase) {}

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

  async deleteProject(pcode: string): Promise<void> {
    await this.deleteChunked('DELETE FROM tx WHERE id IN (SELECT id FROM tx WHERE pcode = ? LIMIT ?)', pcode);
    for (const t of ['counter', 'counter_1m', 'rollup_1m']) {
      if (this.stopped) return;
      this.db.prepare(`DELETE FROM ${t} WHERE pcode = ?`).run(pcode);
      await yieldToEventLoop();
    }
    this.db.prepare('DELETE FROM tx_project WHERE pcode = ?').run(pcode);
  }

  /** Raw transactions and counters older than rawDays, roll-ups older than rollupDays. */
  async applyRetention(policy: RetentionPolicy, now: number): Promise<{ deleted: number }> {
    const rawBefore = now - policy.rawDays * DAY;
    const rollupBefore = Math.floor((now - policy.rollupDays * DAY) / MINUTE) * MINUTE;
    let deleted = 0;
    const projects = this.db.prepare('SELECT pcode FROM tx_project').pluck().all() as string[];
    for (const pcode of projects) {
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
    }
    return { deleted };
  }
}
