import { parentPort, workerData } from 'node:worker_threads';
import type { CounterRecord, RetentionPolicy } from '../telemetry-store';
import { openTelemetryDb } from './telemetry-schema';
import { inlineWriter, type PortOptions } from './telemetry-writer-port';
import { fromTransactionRows, type TransactionRow } from './telemetry-writer-rows';

/** Requests of the writer thread (see telemetry-writer-client.ts for the other side). */
export type WriterRequest =
  | { type: 'write'; id: number; txs: TransactionRow[]; counters: CounterRecord[] }
  | { type: 'deleteProject'; id: number; pcode: string }
  | { type: 'retention'; id: number; policy: RetentionPolicy; now: number }
  | { type: 'compact'; id: number; now: number }
  | { type: 'close'; id: number };

export type WriterReply = { type: 'ready' } | { type: 'done'; id: number; value?: unknown; error?: string };

export interface WriterThreadData {
  file: string;
  fullSync?: boolean;
  writer?: PortOptions;
}

// The writer thread: the only connection that writes telemetry. Commits here do not stop the
// main thread from reading sockets or answering the console's queries.
const port = parentPort!;
const data = workerData as WriterThreadData;
const db = openTelemetryDb(data.file, { fullSync: data.fullSync });
const writer = inlineWriter(db, data.writer);

const reply = (msg: WriterReply) => port.postMessage(msg);
const settle = (id: number, work: Promise<unknown>) =>
  work.then(
    (value) => reply({ type: 'done', id, value }),
    (err: unknown) => reply({ type: 'done', id, error: err instanceof Error ? err.message : String(err) }),
  );

port.on('message', (m: WriterRequest) => {
  switch (m.type) {
    case 'write':
      return void settle(m.id, writer.write(fromTransactionRows(m.txs), m.counters));
    case 'deleteProject':
      return void settle(m.id, writer.deleteProject(m.pcode));
    case 'retention':
      return void settle(m.id, writer.applyRetention(m.policy, m.now));
    case 'compact':
      return void settle(m.id, writer.compactRollups(m.now));
    case 'close':
      return void settle(
        m.id,
        writer.close().then(() => db.close()),
      ).then(() => port.close());
  }
});
reply({ type: 'ready' });
