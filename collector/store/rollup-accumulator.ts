import type { StatKind } from '../../src/api/stats';
import type { Step } from '../../src/api/transactions';
import type { TransactionRecord } from './telemetry-store';
import { addToHistogram, newHistogram } from './rollup-histogram';
import { type NameBound, processNameBound } from './rollup-name-bound';

/** Roll-up kinds as stored (small integers keep the roll-up primary key compact). */
export const ROLLUP_KIND: Record<StatKind, number> = { transactions: 1, sql: 2, httpc: 3, errors: 4 };

export const MINUTE = 60_000;
/** Roll-up keys longer than this are cut: a 64 KiB SQL text must not become a 64 KiB key. */
export const MAX_KEY = 4096;

/** What the roll-ups need of a SQL or HTTP-call step: [kind, key, elapsed, failed 0/1]. */
export type RollupStep = [kind: number, key: string, elapsed: number, failed: number];

/**
 * A transaction as the writer takes it: steps already serialized for their column, and the
 * few step facts the roll-ups need. Flat, so handing it to the writer thread is cheap.
 */
export type PreparedTransaction = Omit<TransactionRecord, 'steps'> & { stepsJson: string; rollSteps: RollupStep[] };

/** One per-minute roll-up row's worth of additions. */
export interface RollupDelta {
  pcode: string;
  kind: number;
  key: string;
  agentId: number;
  minute: number;
  count: number;
  errors: number;
  sum: number;
  min: number;
  max: number;
  sqlTime: number;
  httpcTime: number;
  hist: Uint32Array;
  /** errors only: the latest occurrence. */
  message: string | null;
  url: string | null;
  lastSeen: number | null;
  exampleTxid: string | null;
}

/**
 * Whether an error occurrence (end time, txid) is later than the one kept so far (null: none).
 * Equal times are decided by the txid, so that whichever order roll-ups are merged in (per
 * minute as they arrive, per hour or day, or over a queried range) the same example is kept.
 * The SQL upserts compare `(last_seen, example_txid)` the same way (txids are ASCII).
 */
export function isLaterOccurrence(t: number, txid: string, keptT: number | null, keptTxid: string | null): boolean {
  return keptT === null || t > keptT || (t === keptT && txid > (keptTxid ?? ''));
}

/** HTTP-call key: the called URL without its query string or fragment (they vary per call). */
export function httpcKey(text: string): string {
  const cut = text.search(/[?#]/);
  return (cut >= 0 ? text.slice(0, cut) : text).slice(0, MAX_KEY);
}

/**
 * The one serialization of a transaction's steps on the way in: the frame's JSON is parsed once
 * and validated without re-serializing, and the steps column is written from this string. Fields
 * are copied by name: an object rest/spread copy cost twice the steps' JSON.stringify (profiled).
 */
export function prepareTransaction(tx: TransactionRecord): PreparedTransaction {
  return {
    txid: tx.txid, pcode: tx.pcode, agentId: tx.agentId, objectName: tx.objectName, start: tx.start, end: tx.end,
    elapsed: tx.elapsed, url: tx.url, method: tx.method, status: tx.status, errorClass: tx.errorClass,
    errorMessage: tx.errorMessage, errorStack: tx.errorStack, clientIp: tx.clientIp, userAgent: tx.userAgent, cpu: tx.cpu,
    sqlCount: tx.sqlCount, sqlTime: tx.sqlTime, httpcCount: tx.httpcCount, httpcTime: tx.httpcTime, params: tx.params,
    traceId: tx.traceId, spanId: tx.spanId, parentSpanId: tx.parentSpanId,
    stepsJson: JSON.stringify(tx.steps), rollSteps: rollupSteps(tx.steps),
  };
}

export function rollupSteps(steps: readonly Step[]): RollupStep[] {
  const out: RollupStep[] = [];
  for (const s of steps) {
    if (s.kind === 'sql') out.push([ROLLUP_KIND.sql, s.text.slice(0, MAX_KEY), s.elapsed, s.error ? 1 : 0]);
    else if (s.kind === 'httpc') {
      out.push([ROLLUP_KIND.httpc, httpcKey(s.text), s.elapsed, s.error || (s.status ?? 0) >= 400 ? 1 : 0]);
    }
  }
  return out;
}

/**
 * Accumulates roll-up additions in memory for one store flush, so each
 * (pcode, kind, key, agent, minute) is upserted once per flush instead of once per transaction.
 * Keys pass the cardinality bound first (name-bound.ts): past it, a project's new keys of the
 * day share the overflow row.
 */
export class RollupAccumulator {
  private readonly deltas = new Map<string, RollupDelta>();

  constructor(private readonly bound: NameBound = processNameBound) {}

  get size(): number {
    return this.deltas.size;
  }

  values(): IterableIterator<RollupDelta> {
    return this.deltas.values();
  }

  clear(): void {
    this.deltas.clear();
  }

  /** Adds a new transaction, in either form (the ClickHouse engine passes records). */
  addTransaction(tx: PreparedTransaction | TransactionRecord): void {
    const rollSteps = 'rollSteps' in tx ? tx.rollSteps : rollupSteps(tx.steps);
    const minute = Math.floor(tx.end / MINUTE) * MINUTE;
    // The error label was decided at ingest (src/api/wire.ts errorLabel): null = not failed.
    const label = tx.errorClass;
    const failed = label !== null;
    const url = this.entry(tx.pcode, ROLLUP_KIND.transactions, tx.url.slice(0, MAX_KEY), tx.agentId, minute);
    this.observe(url, tx.elapsed, failed);
    url.sqlTime += tx.sqlTime;
    url.httpcTime += tx.httpcTime;

    for (const [kind, key, elapsed, stepFailed] of rollSteps) {
      this.observe(this.entry(tx.pcode, kind, key, tx.agentId, minute), elapsed, stepFailed === 1);
    }

    if (label !== null) {
      const e = this.entry(tx.pcode, ROLLUP_KIND.errors, label.slice(0, MAX_KEY), tx.agentId, minute);
      this.observe(e, tx.elapsed, true);
      if (isLaterOccurrence(tx.end, tx.txid, e.lastSeen, e.exampleTxid)) {
        e.lastSeen = tx.end;
        e.message = (tx.errorMessage ?? '').slice(0, 1024);
        e.url = tx.url;
        e.exampleTxid = tx.txid;
      }
    }
  }

  private observe(e: RollupDelta, elapsed: number, failed: boolean): void {
    e.count += 1;
    if (failed) e.errors += 1;
    e.sum += elapsed;
    if (elapsed < e.min) e.min = elapsed;
    if (elapsed > e.max) e.max = elapsed;
    addToHistogram(e.hist, elapsed);
  }

  private entry(pcode: string, kind: number, rawKey: string, agentId: number, minute: number): RollupDelta {
    const key = this.bound.admit(pcode, kind, rawKey, minute);
    const id = `${pcode}\u0000${kind}\u0000${agentId}\u0000${minute}\u0000${key}`;
    let e = this.deltas.get(id);
    if (!e) {
      e = {
        pcode, kind, key, agentId, minute,
        count: 0, errors: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: 0, sqlTime: 0, httpcTime: 0, hist: newHistogram(),
        message: null, url: null, lastSeen: null, exampleTxid: null,
      };
      this.deltas.set(id, e);
    }
    return e;
  }
}
