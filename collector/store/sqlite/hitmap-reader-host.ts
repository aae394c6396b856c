/**
 * A hitmap reader thread (started by hitmap-readers.ts): a read-only connection to the
 * telemetry file that answers slice requests with typed columns, transferred without a copy.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReaderReply, ReaderRequest } from './hitmap-readers';
import { Columns, HitmapCollector } from './hitmap-collector';

const port = parentPort!;
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
const collector = new HitmapCollector(db);
const cols = new Columns();

port.on('message', (m: ReaderRequest) => {
  let reply: ReaderReply;
  try {
    const c = collector.slice(m.slice, cols).copy();
    reply = { type: 'slice', id: m.id, cols: c };
    port.postMessage(reply, [c.end, c.elapsed, c.agent, c.err].map((a) => a.buffer as ArrayBuffer));
  } catch (err) {
    reply = { type: 'slice', id: m.id, error: err instanceof Error ? err.message : String(err) };
    port.postMessage(reply);
  }
});
port.postMessage({ type: 'ready' } satisfies ReaderReply);
