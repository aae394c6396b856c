import type Database from 'better-sqlite3';
import { MINUTE } from '../rollup-accumulator';
import { COUNTER_SLOT_MS as COUNTER_SLOT } from '../../../src/api/counters';
import type { CounterRecord } from '../telemetry-store';
import type { RollupCompactor } from './telemetry-compactor';
import { COUNTER_UPSERT_SET } from './telemetry-levels';

/**
 * Writes raw 5-second counter samples and their per-minute sums. Runs inside the caller's
 * SQLite transaction. A sample already stored (same agent, pid and slot: a resend) changes
 * nothing; `slots` counts the distinct 5-second slots of an agent in the minute, so that
 * averages over a minute divide by the samples really received. Samples of a minute the
 * compactor already folded are added to counter_10m too.
 */
export class CounterWriter {
  private readonly insert: Database.Statement;
  private readonly slotExists: Database.Statement;
  private readonly upsertMinute: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly compactor: RollupCompactor,
  ) {
    this.insert = db.prepare(`
      INSERT OR IGNORE INTO counter (pcode, time, agent_id, pid, tps, tx_count, tx_error, resp_time,
        active0, active1, active2, cpu, mem, apdex, dropped)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.slotExists = db
      .prepare('SELECT 1 FROM counter WHERE pcode = ? AND time = ? AND agent_id = ? LIMIT 1')
      .pluck();
    this.upsertMinute = db.prepare(`
      INSERT INTO counter_1m (pcode, minute, agent_id, slots, tps_sum, tx_count, tx_error, resp_sum,
        active0_sum, active1_sum, active2_sum, cpu_sum, mem_sum, apdex_sum, apdex_weight, dropped)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (pcode, minute, agent_id) DO UPDATE SET ${COUNTER_UPSERT_SET}`);
  }

  write(counters: readonly CounterRecord[]): void {
    for (const c of counters) {
      const slot = Math.floor(c.time / COUNTER_SLOT) * COUNTER_SLOT;
      const newSlot = this.slotExists.get(c.pcode, slot, c.agentId) === undefined;
      const [a0, a1, a2] = c.activeBands;
      const info = this.insert.run(
        c.pcode, slot, c.agentId, c.pid ?? 0, c.tps, c.txCount, c.txError, c.respTime, a0, a1, a2,
        c.cpu, c.mem, c.apdex, c.dropped,
      );
      if (info.changes === 0) continue;
      const hasApdex = c.apdex !== null && c.txCount > 0;
      const minute = Math.floor(slot / MINUTE) * MINUTE;
      const values = [
        newSlot ? 1 : 0, c.tps, c.txCount, c.txError, c.respTime * c.txCount, a0, a1, a2, c.cpu, c.mem,
        hasApdex ? c.apdex! * c.txCount : 0, hasApdex ? c.txCount : 0, c.dropped,
      ];
      this.upsertMinute.run(c.pcode, minute, c.agentId, ...values);
      // A minute already folded into counter_10m (a resend after a restart, a late agent).
      if (minute < this.compactor.doneTo(c.pcode)) this.compactor.coarse.addCounter(c.pcode, minute, c.agentId, values);
    }
  }
}
