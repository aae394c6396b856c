import { Worker } from 'node:worker_threads';
import type { PreparedTransaction } from '../rollup-accumulator';
import type { CounterRecord, RetentionPolicy } from '../telemetry-store';
import type { WriterReply, WriterRequest, WriterThreadData } from './telemetry-writer-host';
import type { WriterPort } from './telemetry-writer-port';
import { toTransactionRows } from './telemetry-writer-rows';

const ENTRY = new URL('./telemetry-writer-thread.mjs', import.meta.url);

interface Pending {
  rows: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

type Body<T> = T extends { id: number } ? Omit<T, 'id'> : never;

/**
 * The main-thread side of the writer thread. A write resolves when the thread committed it.
 * If the thread dies, its pending writes fail (ingest answers BUSY and agents resend) and it
 * is restarted; if it cannot start at all, `onUnavailable` lets the store write inline instead.
 */
export class ThreadWriter implements WriterPort {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private rows = 0;
  private closing = false;
  private failedStarts = 0;

  constructor(
    private readonly data: WriterThreadData,
    private readonly hooks: { onError(message: string): void; onUnavailable(): void },
  ) {
    this.start();
  }

  get backlog(): number {
    return this.rows;
  }

  private start(): void {
    let ready = false;
    // No inherited loader flags: the entry registers the TypeScript loader it needs.
    const worker = new Worker(ENTRY, { workerData: this.data, execArgv: [] });
    worker.on('message', (m: WriterReply) => {
      if (m.type === 'ready') {
        ready = true;
        this.failedStarts = 0;
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.rows -= p.rows;
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
    worker.on('error', (err) => this.hooks.onError(`writer thread: ${String(err)}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        this.rows -= p.rows;
        p.reject(new Error('the telemetry writer thread stopped; nothing of this write was acknowledged'));
      }
      if (this.closing) return;
      if (!ready && ++this.failedStarts >= 2) return this.hooks.onUnavailable();
      setTimeout(() => !this.closing && this.start(), 500).unref();
    });
    this.worker = worker;
  }

  private request<T>(body: Body<WriterRequest>, rows = 0): Promise<T> {
    const worker = this.worker;
    if (!worker || this.closing) return Promise.reject(new Error('the telemetry writer is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { rows, resolve: resolve as (v: unknown) => void, reject });
      this.rows += rows;
      worker.postMessage({ ...body, id } as WriterRequest);
    });
  }

  write(txs: readonly PreparedTransaction[], counters: readonly CounterRecord[]): Promise<number> {
    if (txs.length === 0 && counters.length === 0) return Promise.resolve(0);
    return this.request<number>(
      { type: 'write', txs: toTransactionRows(txs), counters: counters as CounterRecord[] },
      txs.length + counters.length,
    );
  }

  deleteProject(pcode: string): Promise<void> {
    return this.request({ type: 'deleteProject', pcode });
  }

  applyRetention(policy: RetentionPolicy, now: number): Promise<{ deleted: number }> {
    return this.request({ type: 'retention', policy, now });
  }

  compactRollups(now: number): Promise<void> {
    return this.request({ type: 'compact', now });
  }

  /** Commits what is queued, then stops the thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.closing) return;
    const done = this.request({ type: 'close' }).catch(() => {});
    this.closing = true;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    await Promise.race([done.then(() => exited), new Promise((r) => setTimeout(r, 10_000))]);
    if (this.worker) await worker.terminate();
  }
}
