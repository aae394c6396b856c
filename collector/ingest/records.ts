import type { Step } from '../../src/api/transactions';
import { errorLabel, type WireCounter, type WireTransaction } from '../../src/api/wire';
import type { CounterRecord, TransactionRecord } from '../store/telemetry-store';

export interface AgentIdentity {
  pcode: string;
  agentId: number;
  objectName: string;
}

/** Keeps only the fields a step kind uses, so stored profiles carry no nulls for nothing. */
function toStep(s: WireTransaction['steps'][number]): Step {
  const step: Step = { kind: s.kind, start: s.start, elapsed: s.elapsed, text: s.text };
  if (s.params != null) step.params = s.params;
  if (s.fetch != null) step.fetch = s.fetch;
  if (s.status != null) step.status = s.status;
  if (s.error != null) step.error = s.error;
  if (s.depth !== undefined) step.depth = s.depth;
  if (s.spanId !== undefined) step.spanId = s.spanId;
  return step;
}

/** The record stored for a transaction; `errorClass` holds the error label decided here (src/api/wire.ts). */
export function toTransactionRecord(who: AgentIdentity, tx: WireTransaction): TransactionRecord {
  return {
    txid: tx.txid,
    pcode: who.pcode,
    agentId: who.agentId,
    objectName: who.objectName,
    start: tx.start,
    end: tx.end,
    elapsed: tx.elapsed,
    url: tx.url,
    method: tx.method,
    status: tx.status,
    errorClass: errorLabel(tx.error?.class ?? null, tx.status),
    errorMessage: tx.error?.message ?? null,
    errorStack: tx.error?.stack ?? null,
    clientIp: tx.clientIp,
    userAgent: tx.userAgent,
    cpu: tx.cpu,
    sqlCount: tx.sqlCount,
    sqlTime: tx.sqlTime,
    httpcCount: tx.httpcCount,
    httpcTime: tx.httpcTime,
    params: tx.params ?? null,
    steps: tx.steps.map(toStep),
    traceId: tx.traceId ?? null,
    spanId: tx.spanId ?? null,
    parentSpanId: tx.parentSpanId ?? null,
  };
}

export function toCounterRecord(who: AgentIdentity, c: WireCounter): CounterRecord {
  return {
    pcode: who.pcode,
    agentId: who.agentId,
    pid: c.pid,
    time: c.time,
    tps: c.tps,
    txCount: c.txCount,
    txError: c.txError,
    respTime: c.respTime,
    activeBands: c.activeBands,
    cpu: c.cpu,
    mem: c.mem,
    apdex: c.apdex,
    dropped: c.dropped,
  };
}
