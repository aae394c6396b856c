import type { PreparedTransaction } from '../rollup-accumulator';
import type { CounterRecord, RetentionPolicy } from '../telemetry-store';
import type { SqliteDatabase } from './db';
import { RollupCompactor } from './telemetry-compactor';
import { TelemetryMaintenance } from './telemetry-maintenance';
import { TelemetryWriter, type WriterOptions } from './telemetry-writer';

/** Everything that writes telemetry, behind one port: in this thread or in the writer thread. */
export interface WriterPort {
  /** Rows handed over and not yet committed. */
  readonly backlog: number;
  write(txs: readonly PreparedTransaction[], counters: readonly CounterRecord[]): Promise<number>;
  deleteProject(pcode: string): Promise<void>;
  applyRetention(policy: RetentionPolicy, now: number): Promise<{ deleted: number }>;
  /** Folds completed minutes into the hourly, daily and 10-minute roll-ups up to `now` (minus the grace). */
  compactRollups(now: number): Promise<void>;
  close(): Promise<void>;
}

export interface PortOptions extends WriterOptions {
  /** How often the coarse roll-ups are brought up to date, ms; 0: only on compactRollups(). */
  compactEveryMs?: number;
}

/** Default of PortOptions.compactEveryMs. */
export const COMPACT_EVERY_MS = 30_000;

/** The writer on a connection of the calling thread (the writer thread's host, or the fallback). */
export function inlineWriter(db: SqliteDatabase, opts: PortOptions = {}): WriterPort {
  const compactor = new RollupCompactor(db);
  const writer = new TelemetryWriter(db, opts, compactor);
  const maintenance = new TelemetryMaintenance(db, compactor);
  compactor.start(opts.compactEveryMs ?? COMPACT_EVERY_MS);
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
    compactRollups: (now) => compactor.run(now),
    async close() {
      compactor.stop();
      maintenance.stop();
      writer.close();
    },
  };
}
