import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HitmapQuery } from '../../../src/api/hitmap';
import type { HitmapPointColumns } from '../hitmap-columns';

const ENTRY = new URL('./hitmap-reader-thread.mjs', import.meta.url);

/** One time slice of a hitmap read: the newest `limit` points with end in [from, to) (or [from, to]). */
export interface HitmapSlice {
  pcode: string;
  from: number;
  to: number;
  toInclusive: boolean;
  /** The reading snapshot's highest row id: later rows are left out. */
  top: number;
  limit: number;
  filters: Pick<HitmapQuery, 'agent' | 'url' | 'error'>;
}

/** A slice's points as exact-size columns (transferred between threads without a copy). */
export interface SliceColumns extends HitmapPointColumns {
  end: Float64Array;
  elapsed: Float64Array;
  agent: Uint32Array;
  err: Uint8Array;
}

export type ReaderRequest = { id: number; slice: HitmapSlice };
export type ReaderReply = { type: 'ready' } | { type: 'slice'; id: number; cols?: SliceColumns; error?: string };

interface Reader {
  worker: Worker;
  pending: Map<number, { resolve(c: SliceColumns): void; reject(e: Error): void }>;
}

/** Reader threads by default: the cores beyond this thread's, at most 3 (a read splits into 4 slices). */
export function defaultReaderCount(): number {
  return Math.max(0, Math.min(3, availableParallelism() - 1));
}

/**
 * Threads that read hitmap slices over their own read-only connections to the telemetry file
 * (hitmap-reader-host.ts). Started by the first large read (which does not wait for them) and
 * kept; a reader that fails is dropped and its reads are rejected, so the caller reads on its
 * own thread instead.
 */
export class HitmapReaders {
  private starting: Promise<Reader[]> | null = null;
  /** The readers that answered "ready" and have not failed. */
  private readonly ready: Reader[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly file: string,
    readonly size = defaultReaderCount(),
    private readonly onError: (message: string) => void = (m) => console.error(`hitmap reader: ${m}`),
  ) {}

  /** How many readers can take a slice now. */
  get available(): number {
    return this.ready.length;
  }

  /** Starts the threads (once) without waiting; answers how many came up when they have. */
  start(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    this.starting ??= Promise.all(Array.from({ length: this.size }, () => this.startOne())).then((all) =>
      all.filter((r): r is Reader => r !== null),
    );
    return this.starting.then(() => this.ready.length);
  }

  private startOne(): Promise<Reader | null> {
    return new Promise((resolve) => {
      // The entry registers the TypeScript loader it needs; nothing inherited.
      const worker = new Worker(ENTRY, { workerData: { file: this.file }, execArgv: [] });
      worker.unref();
      const reader: Reader = { worker, pending: new Map() };
      const fail = (message: string) => {
        for (const p of reader.pending.values()) p.reject(new Error(message));
        reader.pending.clear();
        resolve(null);
      };
      worker.on('message', (m: ReaderReply) => {
        if (m.type === 'ready') {
          if (this.closed) {
            void worker.terminate();
            return resolve(null);
          }
          this.ready.push(reader);
          return resolve(reader);
        }
        const p = reader.pending.get(m.id);
        if (!p) return;
        reader.pending.delete(m.id);
        if (m.cols) p.resolve(m.cols);
        else p.reject(new Error(m.error ?? 'no answer'));
      });
      worker.on('error', (err) => {
        this.onError(String(err));
        fail(String(err));
      });
      worker.on('exit', () => {
        this.drop(reader);
        fail('the reader thread exited');
      });
    });
  }

  private drop(reader: Reader): void {
    const i = this.ready.indexOf(reader);
    if (i >= 0) this.ready.splice(i, 1);
  }

  /** Reads the slices, spread over the readers; rejects if any of them fails. */
  read(slices: readonly HitmapSlice[]): Promise<SliceColumns[]> {
    const readers = [...this.ready];
    if (readers.length === 0 && slices.length > 0) return Promise.reject(new Error('no hitmap reader thread'));
    return Promise.all(
      slices.map(
        (slice, i) =>
          new Promise<SliceColumns>((resolve, reject) => {
            const r = readers[i % readers.length]!;
            const id = this.nextId++;
            r.pending.set(id, { resolve, reject });
            r.worker.postMessage({ id, slice } satisfies ReaderRequest);
          }),
      ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    const readers = this.starting ? await this.starting : [];
    this.ready.length = 0;
    await Promise.all(readers.map((r) => r.worker.terminate()));
  }
}
