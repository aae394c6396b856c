import type { CounterPoint } from '../../src/api/counters';
import type { HitmapPoint, HitmapQuery } from '../../src/api/hitmap';
import type { StatKind, StatRow } from '../../src/api/stats';
import type { Step, TransactionProfile, TransactionSummary } from '../../src/api/transactions';

/** A finished transaction as stored (the ingest message, validated, with agent and project). */
export interface TransactionRecord {
  txid: string;
  pcode: string;
  agentId: number;
  objectName: string;
  start: number;
  end: number;
  elapsed: number;
  url: string;
  method: string;
  status: number;
  /** The error label, decided at ingest (src/api/wire.ts errorLabel): the exception's class or `HTTP <status>`; null: not failed. */
  errorClass: string | null;
  errorMessage: string | null;
  errorStack: string | null;
  clientIp: string;
  userAgent: string;
  cpu: number;
  sqlCount: number;
  sqlTime: number;
  httpcCount: number;
  httpcTime: number;
  params: string | null;
  steps: Step[];
  /** W3C trace context (docs/protocol.md): the trace, this transaction's span, the caller's span; null when not sent. */
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
}

export interface CounterRecord extends CounterPoint {
  pcode: string;
  /** The app process the sample is from; samples are unique per (agent, pid, 5-s slot). */
  pid?: number;
}

/** One agent's transaction roll-ups over a range, merged, with the latency histogram (rollup-histogram.ts). */
export interface AgentLatency {
  agentId: number;
  count: number;
  errors: number;
  sum: number;
  min: number;
  max: number;
  hist: Uint32Array;
}

export interface TransactionFilter {
  from: number;
  to: number;
  minElapsed?: number;
  maxElapsed?: number;
  error?: boolean;
  agentId?: number;
  url?: string;
  limit: number;
  sort: 'end' | 'elapsed';
}

export interface RetentionPolicy {
  /** Raw transactions, profiles and 5-second counters. */
  rawDays: number;
  /** Per-minute roll-ups. */
  rollupDays: number;
}

/**
 * What ingest writes. Writes resolve only after the data is durable and are idempotent by
 * txid, so ingest can acknowledge after the promise resolves and agents may resend.
 */
export interface TelemetryWriter {
  /** Stores transactions (dropping txids already stored) and updates the roll-ups. Returns how many were new. */
  writeTransactions(txs: readonly TransactionRecord[]): Promise<number>;
  writeCounters(counters: readonly CounterRecord[]): Promise<void>;
  /**
   * Rows accepted by the write methods but not yet durable (0 for an engine that buffers
   * nothing, and before a network engine is connected); ingest answers BUSY above a limit.
   * Synchronous: ingest asks it for every frame.
   */
  backlog(): number;
}

/** What the console and the alert rules read. */
export interface TelemetryReader {
  hitmap(pcode: string, q: HitmapQuery): Promise<{ points: HitmapPoint[]; cursor: number }>;
  /** The same answer as hitmap(), already in the wire format (encodeHitmap), built without point objects. */
  hitmapEncoded(pcode: string, q: HitmapQuery): Promise<Uint8Array>;
  listTransactions(pcode: string, f: TransactionFilter): Promise<{ transactions: TransactionSummary[]; total: number }>;
  getProfile(pcode: string, txid: string): Promise<TransactionProfile | null>;
  /** Counters per agent and bucket of `step` ms; without a step, the store's own for the range (raw samples up to an hour). */
  counters(pcode: string, from: number, to: number, agentId?: number, step?: number): Promise<{ step: number; points: CounterPoint[] }>;
  stats(pcode: string, kind: StatKind, from: number, to: number, agentId?: number): Promise<StatRow[]>;
  /** Latest counter per agent of the project (for the agent list). */
  latestCounters(pcode: string): Promise<Map<number, CounterPoint>>;
  /**
   * The transaction roll-ups of [from, to] (whole minutes) merged per agent, histograms
   * included: alert rules read response-time percentiles of agents and projects from them.
   */
  latencyByAgent(pcode: string, from: number, to: number): Promise<AgentLatency[]>;
  /** The transactions of a W3C trace in every project of this collector (at most MAX_TRACE_TRANSACTIONS), unordered. */
  traceTransactions(traceId: string): Promise<TraceTransactionRecord[]>;
  /** Transactions each agent dropped in the minutes that start in [from, to]; agents without drops are left out. */
  droppedByAgent(pcode: string, from: number, to: number): Promise<Map<number, number>>;
}

/** Deleting data: a deleted project's telemetry, and what the retention policy expires. */
export interface TelemetryMaintenance {
  deleteProject(pcode: string): Promise<void>;
  applyRetention(policy: RetentionPolicy, now: number): Promise<{ deleted: number }>;
}

/**
 * The whole telemetry store, as an engine opens it (sqlite/ embedded, clickhouse/ scale-out);
 * every engine has every method. Consumers take the narrow part they use.
 */
export interface TelemetryStore extends TelemetryWriter, TelemetryReader, TelemetryMaintenance {
  close(): Promise<void>;
}

/** One transaction of a trace, from whichever project stored it (TelemetryReader.traceTransactions). */
export interface TraceTransactionRecord {
  pcode: string;
  transaction: TransactionSummary;
  spanId: string | null;
  parentSpanId: string | null;
  /** Its HTTP-call steps that carried a span id: where its callees' `parentSpanId` points. */
  calls: Step[];
}
