import { Worker } from 'node:worker_threads';
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

/**
 * The txid → row id map (see telemetry-index-worker.mjs for why it lives apart). This side
 * answers look-ups: the map for rows up to the watermark, and the caller scans the few rows
 * above it. Both are read in one snapshot, so a row is never in neither place.
 */
export class TxidIndex {
  private readonly db: Database.Database;
  private readonly find: Database.Statement;
  private readonly mark: Database.Statement;
  private worker: Worker | null = null;
  private stopped = false;

  constructor(
    private readonly mainFile: string,
    private readonly opts: TxidIndexOptions = {},
  ) {
    this.db = new Database(txidIndexFile(mainFile));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS txid_map (
        pcode TEXT NOT NULL, txid TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (pcode, txid)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS txid_map_id ON txid_map (id);
      CREATE TABLE IF NOT EXISTS watermark (k INTEGER PRIMARY KEY CHECK (k = 0), id INTEGER NOT NULL);
      INSERT OR IGNORE INTO watermark (k, id) VALUES (0, 0);`);
    this.find = this.db.prepare('SELECT id FROM txid_map WHERE pcode = ? AND txid = ?').pluck();
    this.mark = this.db.prepare('SELECT id FROM watermark WHERE k = 0').pluck();
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
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      // A crashed indexer only makes look-ups slower; restart it unless closing.
      if (!this.stopped) setTimeout(() => !this.stopped && this.start(), 1000).unref();
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
