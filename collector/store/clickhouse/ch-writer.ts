import { RollupAccumulator } from '../rollup-accumulator';
import { COUNTER_SLOT_MS as COUNTER_SLOT } from '../../../src/api/counters';
import type { CounterRecord, TransactionRecord } from '../telemetry-store';
import { type ClickHouse, isServerError } from './ch-client';
import { findStoredCounters, findStoredTxids } from './ch-dedup';
import { counterRow, rollupRow, txRow } from './ch-rows';

interface PendingWrite {
  txs: readonly TransactionRecord[];
  counters: readonly CounterRecord[];
  rows: number;
  queuedAt: number;
  resolve(stored: number): void;
  reject(err: Error): void;
}

export interface ChWriterOptions {
  /** Longest a row waits before its insert, ms (ClickHouse wants about one insert per second). */
  flushMs?: number;
  /** Insert as soon as this many rows wait (≥ 1,000 rows per insert is what ClickHouse likes). */
  flushRows?: number;
  /** Rows waiting beyond which writes are refused at once (the ingest answers BUSY). */
  maxBufferRows?: number;
  onError?: (message: string) => void;
}

/** A write refused because the buffer is full; the ingest answers BUSY and the agent resends. */
export class BufferFullError extends Error {
  constructor(rows: number) {
    super(`telemetry write buffer full (${rows} rows waiting for ClickHouse)`);
    this.name = 'BufferFullError';
  }
}

/**
 * Batches writes from every agent connection into large ClickHouse inserts: one insert when
 * `flushRows` rows wait or the oldest has waited `flushMs`, one flush at a time (what arrives
 * meanwhile goes in the next). Each write's promise resolves after the inserts holding its
 * rows succeeded, so the ingest acknowledges only stored data.
 *
 * Idempotency: before inserting, the writer asks ClickHouse which txids (and counter slots)
 * of the flush are already stored, in the end-time ranges of the flush (a primary-key range
 * read), and inserts only the others; roll-ups are computed from those new rows only, so a
 * resend — to this collector or another — adds nothing.
 */
export class ClickHouseWriter {
  private queue: PendingWrite[] = [];
  private queuedRows = 0;
  private flushingRows = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastStamp = 0;
  /** Smallest stamp of a tx insert in progress (rows not yet visible), or Infinity. */
  private inflightStamp = Number.POSITIVE_INFINITY;
  private closed = false;
  private readonly flushMs: number;
  private readonly flushRows: number;
  private readonly maxBufferRows: number;

  constructor(
    private readonly ch: ClickHouse,
    private readonly opts: ChWriterOptions = {},
  ) {
    this.flushMs = opts.flushMs ?? 1000;
    this.flushRows = Math.max(1, opts.flushRows ?? 10_000);
    this.maxBufferRows = opts.maxBufferRows ?? 200_000;
  }

  /** Rows accepted but not yet stored. */
  get backlog(): number {
    return this.queuedRows + this.flushingRows;
  }

  /** Rows with a stamp below this are visible to readers of this process (see the hitmap cursor). */
  get visibleBelow(): number {
    return this.inflightStamp;
  }

  write(txs: readonly TransactionRecord[], counters: readonly CounterRecord[]): Promise<number> {
    if (this.closed) return Promise.reject(new Error('telemetry store is closed'));
    const rows = txs.length + counters.length;
    if (rows === 0) return Promise.resolve(0);
    if (this.backlog + rows > this.maxBufferRows) return Promise.reject(new BufferFullError(this.backlog));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ txs, counters, rows, queuedAt: Date.now(), resolve, reject });
      this.queuedRows += rows;
      this.schedule();
    });
  }

  /** Inserts everything queued now and waits for it (project deletion, close). */
  async drain(): Promise<void> {
    while (this.flushing || this.queue.length > 0) {
      if (this.flushing) await this.flushing;
      else this.startFlush();
    }
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.flushing || this.queue.length === 0) return; // the running flush reschedules when done
    if (this.queuedRows >= this.flushRows) {
      this.startFlush();
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.queue[0]!.queuedAt + this.flushMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.startFlush();
    }, wait);
  }

  private startFlush(): void {
    if (this.flushing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const group = this.queue;
    this.queue = [];
    this.flushingRows = this.queuedRows;
    this.queuedRows = 0;
    this.flushing = this.flushGroup(group).finally(() => {
      this.flushing = null;
      this.flushingRows = 0;
      this.schedule();
    });
  }

  private async flushGroup(group: PendingWrite[]): Promise<void> {
    if (group.length === 0) return;
    try {
      const stored = await this.commit(group);
      // Not waiting any more: those whose write resolves may write again at once.
      this.flushingRows = 0;
      group.forEach((w, i) => w.resolve(stored[i]!));
    } catch (err) {
      this.flushingRows = 0;
      // ClickHouse refused the data itself: find the culprit by retrying each write alone, so
      // one bad batch cannot keep failing everybody's. Network errors fail the whole group.
      if (group.length > 1 && isServerError(err)) {
        for (const w of group) {
          try {
            w.resolve((await this.commit([w]))[0]!);
          } catch (e) {
            w.reject(toError(e));
          }
        }
        return;
      }
      // Only the start of ClickHouse's message: a parse error may quote trace data.
      this.opts.onError?.(`insert failed: ${toError(err).message.slice(0, 300)}`);
      for (const w of group) w.reject(toError(err));
    }
  }

  /** Inserts the group's new rows; returns how many transactions of each write were new. */
  private async commit(group: PendingWrite[]): Promise<number[]> {
    // First occurrence of each (pcode, txid) in the flush; later copies are resends.
    const seen = new Set<string>();
    const candidates: Array<{ tx: TransactionRecord; write: number }> = [];
    group.forEach((w, i) => {
      for (const tx of w.txs) {
        const k = `${tx.pcode}\u0000${tx.txid}`;
        if (seen.has(k)) continue;
        seen.add(k);
        candidates.push({ tx, write: i });
      }
    });
    const lookups = Promise.all([
      findStoredTxids(this.ch, candidates.map((c) => c.tx)),
      this.newCounters(group.flatMap((w) => w.counters)),
    ]);
    // While ClickHouse answers, build every candidate's row (resends are rare: little waste).
    await new Promise((r) => setImmediate(r));
    const rows = candidates.map((c) => txRow(c.tx, 0));
    const [stored, counters] = await lookups;

    const counts = group.map(() => 0);
    const freshRows: typeof rows = [];
    const acc = new RollupAccumulator();
    candidates.forEach((c, i) => {
      if (stored.has(`${c.tx.pcode}\u0000${c.tx.txid}`)) return;
      counts[c.write]!++;
      freshRows.push(rows[i]!);
      acc.addTransaction(c.tx);
    });

    const writeTxs = async () => {
      if (freshRows.length === 0) return;
      for (const r of freshRows) r.stamp = this.nextStamp();
      this.inflightStamp = freshRows[0]!.stamp;
      try {
        await this.ch.insert('tx', freshRows);
      } finally {
        this.inflightStamp = Number.POSITIVE_INFINITY;
      }
      // The raw rows are stored: losing their roll-up to a passing error would skew statistics
      // for good (a resend is dropped as a duplicate), so retry it a few times.
      await retry(() => this.ch.insert('rollup_in', [...acc.values()].map(rollupRow)));
    };
    const writeCounters = async () => {
      if (counters.length > 0) await this.ch.insert('counter', counters.map(counterRow));
    };
    await Promise.all([writeTxs(), writeCounters()]);
    return counts;
  }

  /** Counter samples of the flush not stored yet, one per (project, agent, pid, 5-second slot). */
  private async newCounters(all: readonly CounterRecord[]): Promise<CounterRecord[]> {
    const unique = new Map<string, CounterRecord>();
    for (const c of all) {
      const slot = Math.floor(c.time / COUNTER_SLOT) * COUNTER_SLOT;
      const k = `${c.pcode}\u0000${c.agentId}\u0000${c.pid ?? 0}\u0000${slot}`;
      if (!unique.has(k)) unique.set(k, { ...c, time: slot, pid: c.pid ?? 0 });
    }
    if (unique.size === 0) return [];
    const stored = await findStoredCounters(this.ch, [...unique.values()]);
    return [...unique.entries()].filter(([k]) => !stored.has(k)).map(([, c]) => c);
  }

  /** Insertion stamps: epoch µs, strictly increasing in this process, one per row. */
  private nextStamp(): number {
    this.lastStamp = Math.max(this.lastStamp + 1, Date.now() * 1000);
    return this.lastStamp;
  }
}

async function retry(fn: () => Promise<void>, attempts = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
