import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ensurePrivateFile } from './private-files';
import Database from 'better-sqlite3';

const WORKER_URL = new URL('./telemetry-index-worker.mjs', import.meta.url);

export interface TxidIndexOptions {
  /** How often the background thread indexes new rows and checkpoints, ms. */
  intervalMs?: number;
  onError?: (message: string) => void;
}

/** `telemetry.sqlite` → `telemetry-txid.sqlite`. */
export function txidIndexFile(mainFile: string): string {
  return mainFile.replace(/(\.sqlite3?|\.db)?$/, '-txid.sqlite');
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS txid_map (
    pcode TEXT NOT NULL, txid TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (pcode, txid)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS txid_map_id ON txid_map (id);
  CREATE TABLE IF NOT EXISTS trace_map (trace_id TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (trace_id, id)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS trace_map_id ON trace_map (id);
  CREATE TABLE IF NOT EXISTS watermark (k INTEGER PRIMARY KEY CHECK (k = 0), id INTEGER NOT NULL);
  INSERT OR IGNORE INTO watermark (k, id) VALUES (0, 0);`;

/** Opens the map; a damaged one is only a derived index, so it is dropped and rebuilt. */
function openIndexDb(file: string, onError?: (message: string) => void): Database.Database {
  try {
    ensurePrivateFile(file);
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      if (db.pragma('quick_check', { simple: true }) !== 'ok') throw new Error('txid map failed its integrity check');
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    onError?.(`rebuilding the txid map: ${String(err)}`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    ensurePrivateFile(file);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return db;
  }
}

/**
 * The txid → row id map, and the trace id → row ids map beside it (see telemetry-index-worker.mjs for why it lives apart). This side
 * answers look-ups: the map for rows up to the watermark, and the caller scans the few rows
 * above it. Both are read in one snapshot, so a row is never in neither place.
 */
export class TxidIndex {
  private readonly db: Database.Database;
  private readonly find: Database.Statement;
  private readonly mark: Database.Statement;
  private readonly findTrace: Database.Statement;
  private worker: Worker | null = null;
  private stopped = false;
  private restarts = 0;

  constructor(
    private readonly mainFile: string,
    /** The main table's highest row id now: the map never claims to cover more. */
    mainMaxId: number,
    private opts: TxidIndexOptions = {},
  ) {
    this.opts = { ...opts, onError: (m) => (opts.onError ?? console.error)(`txid indexer: ${m}`) };
    this.db = openIndexDb(txidIndexFile(mainFile), this.opts.onError);
    this.find = this.db.prepare('SELECT id FROM txid_map WHERE pcode = ? AND txid = ?').pluck();
    this.mark = this.db.prepare('SELECT id FROM watermark WHERE k = 0').pluck();
    this.findTrace = this.db.prepare('SELECT id FROM trace_map WHERE trace_id = ? ORDER BY id LIMIT ?').pluck();
    // After a power loss the main file may have lost its last commits (synchronous=NORMAL)
    // while the map kept them; ids will be handed out again, so cover only what exists.
    this.db.prepare('UPDATE watermark SET id = ? WHERE k = 0 AND id > ?').run(mainMaxId, mainMaxId);
    this.start();
  }

  private start(): void {
    const worker = new Worker(WORKER_URL, {
      workerData: {
        mainFile: this.mainFile,
        indexFile: txidIndexFile(this.mainFile),
        intervalMs: this.opts.intervalMs ?? 250,
        batchRows: 100_000,
        purgeEveryMs: 3_600_000,
      },
      // The worker is plain JavaScript; a TypeScript loader in execArgv is not needed there.
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'error') this.opts.onError?.(m.message ?? 'unknown error');
    });
    worker.on('error', (err) => this.opts.onError?.(String(err)));
    const startedAt = Date.now();
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      if (this.stopped) return;
      // A crashed indexer only makes look-ups slower; restart it, backing off if it keeps failing.
      this.restarts = Date.now() - startedAt > 60_000 ? 0 : this.restarts + 1;
      const delay = Math.min(60_000, 1000 * 2 ** Math.min(this.restarts, 6));
      setTimeout(() => !this.stopped && this.start(), delay).unref();
    });
    this.worker = worker;
  }

  /** Row id candidates for (pcode, txid) and the watermark above which rows are not mapped yet. */
  lookup(pcode: string, txid: string): { id: number | undefined; watermark: number } {
    return this.db.transaction(() => ({
      id: this.find.get(pcode, txid) as number | undefined,
      watermark: this.mark.get() as number,
    }))();
  }

  /** Row ids of a trace's transactions (at most `limit`) up to the watermark, and the watermark. */
  traceLookup(traceId: string, limit: number): { ids: number[]; watermark: number } {
    return this.db.transaction(() => ({
      ids: this.findTrace.all(traceId, limit) as number[],
      watermark: this.mark.get() as number,
    }))();
  }

  async close(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => void worker.terminate().then(() => resolve()), 5000);
        worker.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        worker.postMessage('stop');
      });
    }
    this.db.close();
  }
}
