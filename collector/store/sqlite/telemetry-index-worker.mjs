// The telemetry store's background thread (plain JavaScript: a worker must load without a
// TypeScript loader, under tsx, vitest and node alike).
//
// 1. Maintains the txid → row id map (and trace id → row ids) in its own database file. A
//    unique index on random txids (or trace ids) in the main database would dirty one random
//    page per inserted row and make every commit write megabytes; here the map is filled in
//    large batches, off the ingest thread, and is only a derived index: the watermark says which
//    rows it covers, rows above it are found by a short scan, and after a crash it is rebuilt
//    from the main table.
// 2. Checkpoints the main database's WAL (PASSIVE: never blocks the writer), so the fsyncs of
//    checkpoints do not stall the ingest thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { mainFile, indexFile, intervalMs, batchRows, purgeEveryMs } = workerData;
/** 4,096 pages: a WAL of about 16 MiB. */
const RESTART_FRAMES = 4096;

const main = new Database(mainFile);
main.pragma('busy_timeout = 5000');
const index = new Database(indexFile);
index.pragma('journal_mode = WAL');
// The map is rebuildable from the main table, so it need not survive power loss.
index.pragma('synchronous = OFF');
index.pragma('busy_timeout = 5000');

const readNew = main.prepare('SELECT id, pcode, txid, trace_id FROM tx WHERE id > ? ORDER BY id LIMIT ?').raw();
const minId = main.prepare('SELECT min(id) FROM tx').pluck();
const getMark = index.prepare('SELECT id FROM watermark WHERE k = 0').pluck();
const setMark = index.prepare('UPDATE watermark SET id = ? WHERE k = 0');
const upsert = index.prepare('INSERT OR REPLACE INTO txid_map (pcode, txid, id) VALUES (?, ?, ?)');
const upsertTrace = index.prepare('INSERT OR IGNORE INTO trace_map (trace_id, id) VALUES (?, ?)');
const purge = index.prepare('DELETE FROM txid_map WHERE id < ?');
const purgeTraces = index.prepare('DELETE FROM trace_map WHERE id < ?');

const addRows = index.transaction((rows) => {
  for (const [id, pcode, txid, traceId] of rows) {
    upsert.run(pcode, txid, id);
    if (traceId !== null) upsertTrace.run(traceId, id);
  }
  setMark.run(rows[rows.length - 1][0]);
});

let stopping = false;
let timer = null;
let lastPurge = Date.now();

function step() {
  timer = null;
  if (stopping) return;
  let full = false;
  try {
    const rows = readNew.all(getMark.get(), batchRows);
    if (rows.length > 0) addRows(rows);
    full = rows.length === batchRows;
    // PASSIVE copies the WAL into the database alongside the writer, but under a steady
    // stream of commits it never reaches the end, so the WAL would grow to the writer's
    // autocheckpoint limit and that checkpoint (with its fsync) would stall ingest. Past
    // RESTART_FRAMES, RESTART finishes the little left, holding the writer briefly, and
    // lets the WAL start over.
    const [ckpt] = main.pragma('wal_checkpoint(PASSIVE)');
    if (ckpt && ckpt.log > RESTART_FRAMES) main.pragma('wal_checkpoint(RESTART)');
    if (Date.now() - lastPurge > purgeEveryMs) {
      lastPurge = Date.now();
      // Rows below the main table's smallest id were deleted by retention.
      const low = minId.get();
      if (low !== null) {
        purge.run(low);
        purgeTraces.run(low);
      }
    }
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: String(err && err.message ? err.message : err) });
  }
  timer = setTimeout(step, full ? 0 : intervalMs);
}

parentPort.on('message', (msg) => {
  if (msg === 'stop') {
    stopping = true;
    if (timer) clearTimeout(timer);
    try {
      main.close();
      index.close();
    } finally {
      parentPort.postMessage({ type: 'stopped' });
      parentPort.close();
    }
  }
});

step();
