import type { RollupDelta } from '../rollup-accumulator';
import type { CounterRecord, TransactionRecord } from '../telemetry-store';

const DAY = 86_400_000;
let cachedDay = { n: -1, text: '' };

/** The UTC day (`YYYY-MM-DD`) of an epoch-ms time: the partition a row lands in. */
export function dayOf(ms: number): string {
  // Nearly every row of a flush has the same day: format it once.
  const n = Math.floor(Math.max(0, ms) / DAY);
  if (n !== cachedDay.n) cachedDay = { n, text: new Date(n * DAY).toISOString().slice(0, 10) };
  return cachedDay.text;
}

/** A `tx` row as inserted (JSONEachRow); `err` is the error decided at ingest (a label is set). */
export function txRow(tx: TransactionRecord, stamp: number) {
  return {
    day: dayOf(tx.end),
    pcode: tx.pcode,
    txid: tx.txid,
    agent_id: tx.agentId,
    object_name: tx.objectName,
    start_ms: tx.start,
    end_ms: tx.end,
    elapsed: tx.elapsed,
    err: tx.errorClass !== null ? 1 : 0,
    url: tx.url,
    method: tx.method,
    status: tx.status,
    error_class: tx.errorClass,
    error_message: tx.errorMessage,
    error_stack: tx.errorStack,
    client_ip: tx.clientIp,
    user_agent: tx.userAgent,
    cpu: tx.cpu,
    sql_count: tx.sqlCount,
    sql_time: tx.sqlTime,
    httpc_count: tx.httpcCount,
    httpc_time: tx.httpcTime,
    params: tx.params,
    steps: JSON.stringify(tx.steps),
    trace_id: tx.traceId ?? '',
    span_id: tx.spanId ?? '',
    parent_span_id: tx.parentSpanId ?? '',
    stamp,
  };
}

/** A `rollup_in` row: one flush's additions to one per-minute roll-up key. */
export function rollupRow(r: RollupDelta) {
  return {
    day: dayOf(r.minute),
    pcode: r.pcode,
    kind: r.kind,
    minute: r.minute,
    agent_id: r.agentId,
    key: r.key,
    count: r.count,
    errors: r.errors,
    sum: r.sum,
    min: r.min,
    max: r.max,
    sql_time: r.sqlTime,
    httpc_time: r.httpcTime,
    hist: Array.from(r.hist),
    message: r.message ?? '',
    url: r.url ?? '',
    last_seen: r.lastSeen ?? 0,
    example_txid: r.exampleTxid ?? '',
  };
}

/** A `counter` row; `time` is already the 5-second slot. */
export function counterRow(c: CounterRecord) {
  return {
    day: dayOf(c.time),
    pcode: c.pcode,
    time: c.time,
    agent_id: c.agentId,
    pid: c.pid ?? 0,
    tps: c.tps,
    tx_count: c.txCount,
    tx_error: c.txError,
    resp_time: c.respTime,
    active0: c.activeBands[0],
    active1: c.activeBands[1],
    active2: c.activeBands[2],
    cpu: c.cpu,
    mem: c.mem,
    apdex: c.apdex ?? 0,
    has_apdex: c.apdex === null ? 0 : 1,
    dropped: c.dropped,
  };
}
