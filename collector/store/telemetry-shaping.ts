import { COUNTER_SLOT_MS as COUNTER_SLOT, type CounterPoint } from '../../src/api/counters';
import type { StatKind, StatRow } from '../../src/api/stats';
import type { Step, TransactionProfile, TransactionSummary } from '../../src/api/transactions';
import { MINUTE } from './rollup-accumulator';
import { percentile } from './rollup-histogram';

/**
 * What the telemetry engines (sqlite/, clickhouse/) share once their SQL has answered: the
 * shape of the rows it returns and how they become API answers, and how a counter range is
 * bucketed. The queries themselves stay in each engine.
 */

// ---- transactions ----

/** A transaction's list columns, as the `tx` table of every engine names them. */
export interface TxDbRow {
  txid: string;
  agent_id: number;
  object_name: string;
  start_ms: number;
  end_ms: number;
  elapsed: number;
  url: string;
  method: string;
  status: number;
  /** The error label decided at ingest (src/api/wire.ts errorLabel); null: not failed. */
  error_class: string | null;
  sql_count: number;
  sql_time: number;
  httpc_count: number;
  httpc_time: number;
}

/** The columns of TxDbRow, in that order. */
export const TX_SUMMARY_COLUMNS =
  'txid, agent_id, object_name, start_ms, end_ms, elapsed, url, method, status, error_class, sql_count, sql_time, httpc_count, httpc_time';

/** A whole transaction: the summary's columns and the profile's own. */
export const TX_PROFILE_COLUMNS = `${TX_SUMMARY_COLUMNS}, error_message, error_stack, client_ip, user_agent, cpu, params, steps, trace_id, span_id, parent_span_id`;

/** The columns of TX_PROFILE_COLUMNS. */
export interface TxProfileDbRow extends TxDbRow {
  error_message: string | null;
  error_stack: string | null;
  client_ip: string;
  user_agent: string;
  cpu: number;
  params: string | null;
  /** The steps as JSON. */
  steps: string;
  /** W3C trace context; null (SQLite) or '' (ClickHouse) when the agent sent none. */
  trace_id: string | null;
  span_id: string | null;
  parent_span_id: string | null;
}

export function toTransactionSummary(r: TxDbRow): TransactionSummary {
  return {
    txid: r.txid,
    agentId: r.agent_id,
    objectName: r.object_name,
    start: r.start_ms,
    end: r.end_ms,
    elapsed: r.elapsed,
    url: r.url,
    method: r.method,
    status: r.status,
    error: r.error_class,
    sqlCount: r.sql_count,
    sqlTime: r.sql_time,
    httpcCount: r.httpc_count,
    httpcTime: r.httpc_time,
  };
}

/** A stored transaction's steps column; steps that do not parse read as none. */
export function parseSteps(json: string): Step[] {
  try {
    return JSON.parse(json) as Step[];
  } catch {
    return [];
  }
}

/** The profile of a stored transaction; steps that do not parse read as none. */
export function toTransactionProfile(r: TxProfileDbRow): TransactionProfile {
  const steps = parseSteps(r.steps);
  return {
    transaction: {
      ...toTransactionSummary(r),
      cpu: r.cpu,
      clientIp: r.client_ip,
      userAgent: r.user_agent,
      errorMessage: r.error_message,
      errorStack: r.error_stack,
      params: r.params,
      ...(r.trace_id ? { traceId: r.trace_id } : {}),
      ...(r.span_id ? { spanId: r.span_id } : {}),
      ...(r.parent_span_id ? { parentSpanId: r.parent_span_id } : {}),
    },
    steps,
  };
}

// ---- counters ----

/** Ranges up to this long are answered with raw 5-second samples. */
const RAW_COUNTER_RANGE = 3_600_000;
/** Bucket widths for longer ranges, minutes; the smallest giving at most MAX_POINTS per agent. */
const STEPS_MIN = [1, 5, 10, 30, 60, 180, 360, 720, 1440];
const MAX_POINTS = 1500;

/**
 * How counters over [from, to] are read: raw samples (`raw`) summed into buckets of `step` ms
 * (one per slot at 5 s), or minute roll-ups summed into buckets of `step` ms. `start` is `from`
 * floored to a step. Without `asked` the step is the smallest of STEPS_MIN giving at most
 * MAX_POINTS per agent (raw samples up to an hour); an asked step under a minute reads raw samples.
 */
export function counterResolution(from: number, to: number, asked?: number): { raw: boolean; step: number; start: number } {
  if (asked !== undefined) return { raw: asked < MINUTE, step: asked, start: Math.floor(from / asked) * asked };
  if (to - from <= RAW_COUNTER_RANGE)
    return { raw: true, step: COUNTER_SLOT, start: Math.floor(from / COUNTER_SLOT) * COUNTER_SLOT };
  const minutes = STEPS_MIN.find((m) => (to - from) / (m * MINUTE) <= MAX_POINTS) ?? STEPS_MIN.at(-1)!;
  const step = minutes * MINUTE;
  return { raw: false, step, start: Math.floor(from / step) * step };
}

/** Counter sums of one agent over one slot or bucket, as every engine's counter queries name them. */
export interface CounterDbRow {
  time: number;
  agent_id: number;
  /** 1 for raw rows; the number of 5-second samples for roll-up buckets. */
  slots: number;
  tps: number;
  tx_count: number;
  tx_error: number;
  resp_sum: number;
  a0: number;
  a1: number;
  a2: number;
  cpu: number;
  mem: number;
  apdex_sum: number;
  apdex_weight: number;
  dropped: number;
}

/** An engine's rounding of the values it computed (ClickHouse's float sums); none by default. */
export type Round = (v: number) => number;
const exact: Round = (v) => v;

/** A counter point: gauges averaged over the slots, counts summed, response time weighted by count. */
export function toCounterPoint(r: CounterDbRow, round: Round = exact): CounterPoint {
  return counterPointOf(
    [r.time, r.agent_id, r.slots, r.tps, r.tx_count, r.tx_error, r.resp_sum, r.a0, r.a1, r.a2, r.cpu, r.mem, r.apdex_sum, r.apdex_weight, r.dropped],
    round,
  );
}

/**
 * toCounterPoint of a row read as an array (better-sqlite3's raw mode: no object per row), the
 * values in CounterDbRow's order.
 */
export function counterPointOf(v: readonly number[], round: Round = exact): CounterPoint {
  const [time, agentId, rawSlots, tps, txCount, txError, respSum, a0, a1, a2, cpu, mem, apdexSum, apdexWeight, dropped] =
    v as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const slots = Math.max(1, rawSlots);
  return {
    time,
    agentId,
    tps: round(tps / slots),
    txCount: round(txCount),
    txError: round(txError),
    respTime: txCount > 0 ? round(respSum / txCount) : 0,
    activeBands: [round(a0 / slots), round(a1 / slots), round(a2 / slots)],
    cpu: round(cpu / slots),
    mem: round(mem / slots),
    apdex: apdexWeight > 0 ? round(apdexSum / apdexWeight) : null,
    dropped: round(dropped),
  };
}

// ---- statistics ----

/** The roll-ups of one key merged over a range (by the engine's SQL or in the process). */
export interface MergedStat {
  key: string;
  count: number;
  errors: number;
  sum: number;
  min: number;
  max: number;
  sql_time: number;
  httpc_time: number;
  /** The merged latency histogram. */
  h: Uint32Array;
  /** The latest occurrence's (errors). */
  message: string | null;
  url: string | null;
  last_seen: number | null;
  example_txid: string | null;
}

/** A statistics row: percentiles read from the merged histogram, the kind's own fields added. */
export function toStatRow(m: MergedStat, kind: StatKind, round: Round = exact): StatRow {
  const row: StatRow = {
    key: m.key,
    count: m.count,
    errors: m.errors,
    avg: m.count > 0 ? round(m.sum / m.count) : 0,
    p50: percentile(m.h, 0.5, m.min, m.max),
    p95: percentile(m.h, 0.95, m.min, m.max),
    p99: percentile(m.h, 0.99, m.min, m.max),
    max: m.max,
    total: round(m.sum),
  };
  if (kind === 'transactions') {
    row.sqlTime = round(m.sql_time);
    row.httpcTime = round(m.httpc_time);
  }
  if (kind === 'errors') {
    row.message = m.message ?? '';
    if (m.url !== null) row.url = m.url;
    if (m.last_seen !== null) row.lastSeen = m.last_seen;
    if (m.example_txid !== null) row.exampleTxid = m.example_txid;
  }
  return row;
}

/** Sorts statistics by total time, the costliest first (then by count, then by key: the same order however rows were merged). */
export function sortByCost(rows: StatRow[]): StatRow[] {
  return rows.sort((a, b) => b.total - a.total || b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
