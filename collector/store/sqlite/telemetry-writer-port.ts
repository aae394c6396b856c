import type { PreparedTransaction } from '../../rollup/accumulator';
import type { CounterRecord, RetentionPolicy } from '../telemetry-store';
import type { SqliteDatabase } from './db';
import { TelemetryMaintenance } from './telemetry-maintenance';
import { TelemetryWriter, type WriterOptions } from './telemetry-writer';

/** Everything that writes telemetry, behind one port: in this thread or in the writer thread. */
export interface WriterPort {
  /** Rows handed over and not yet committed. */
  readonly backlog: number;
  write(txs: readonly PreparedTransaction[], counters: readonly CounterRecord[]): Promise<number>;
  deleteProject(pcode: string): Promise<void>;
  applyRetention(policy: RetentionPolicy, now: number): Promise<{ deleted: number }>;
  close(): Promise<void>;
}

/** The writer on a connection of the calling thread (the writer thread's host, or the fallback). */
export function inlineWriter(db: SqliteDatabase, opts: WriterOptions = {}): WriterPort {
  const writer = new TelemetryWriter(db, opts);
  const maintenance = new TelemetryMaintenance(db);
  return {
    get backlog() {
      return writer.backlog;
    },
    write: (txs, counters) => writer.write(txs, counters),
    async deleteProject(pcode) {
      // Commit what is queued first, so no queued row of the project lands after the delete.
      writer.drain();
      await maintenance.deleteProject(pcode);
    },
    applyRetention: (policy, now) => maintenance.applyRetention(policy, now),
    async close() {
      maintenance.stop();
      writer.close();
    },
  };
}
