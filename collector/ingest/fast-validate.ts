import type { Step } from '../../src/api/transactions';
import {
  errorLabel,
  SPAN_ID_PATTERN,
  STEP_KINDS,
  TRACE_ID_PATTERN,
  TXID_PATTERN,
  WIRE_LIMITS as LIMITS,
  type WireStepKind,
} from '../../src/api/wire';
import type { TransactionRecord } from '../store/telemetry-store';
import type { AgentIdentity } from './records';

/**
 * A hand-written fast path for the hottest validation: one transaction of a TX_BATCH.
 * The zod schema (src/api/wire.ts) stays the definition, and the limits, step kinds and txid
 * pattern are its constants: this returns a record only for input
 * zod accepts, equal to what zod + toTransactionRecord would give, and null for anything it
 * is not sure about — the caller then runs zod, which names the offending field.
 * fast-validate.test.ts checks the equivalence on valid and mutated transactions.
 * Why: zod costs ~12 µs per transaction, a third of the ingest thread's budget.
 */
const KINDS: ReadonlySet<string> = new Set<string>(STEP_KINDS);
const TXID_RE = new RegExp(TXID_PATTERN);
const TRACE_ID_RE = new RegExp(TRACE_ID_PATTERN);
const SPAN_ID_RE = new RegExp(SPAN_ID_PATTERN);

/** `undefined` = invalid; null when absent. */
function traceField(v: unknown, re: RegExp): string | null | undefined {
  if (v === undefined) return null;
  return typeof v === 'string' && re.test(v) ? v : undefined;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNonNeg = (v: unknown): v is number => isNum(v) && v >= 0;
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER;
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** `undefined` = invalid; otherwise the value (or the default when absent). */
function opt<T>(v: unknown, ok: (v: unknown) => boolean, dflt: T): T | undefined {
  if (v === undefined) return dflt;
  return ok(v) ? (v as T) : undefined;
}

function fastStep(s: unknown): Step | null {
  if (!isObj(s)) return null;
  const { kind, start, elapsed, text, params, fetch, status, error, depth, spanId } = s;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return null;
  if (!isNum(start) || !isNonNeg(elapsed) || !isStr(text, LIMITS.maxText)) return null;
  const step: Step = { kind: kind as WireStepKind, start, elapsed, text };
  if (params != null) {
    if (!isStr(params, LIMITS.maxParams)) return null;
    step.params = params;
  }
  if (fetch != null) {
    if (!isCount(fetch)) return null;
    step.fetch = fetch;
  }
  if (status != null) {
    if (!Number.isInteger(status) || (status as number) < 0 || (status as number) > LIMITS.maxStatus) return null;
    step.status = status as number;
  }
  if (error != null) {
    if (!isStr(error, LIMITS.maxText)) return null;
    step.error = error;
  }
  if (depth !== undefined) {
    if (!Number.isInteger(depth) || (depth as number) < 0 || (depth as number) > LIMITS.maxDepth) return null;
    step.depth = depth as number;
  }
  if (spanId !== undefined) {
    if (typeof spanId !== 'string' || !SPAN_ID_RE.test(spanId)) return null;
    step.spanId = spanId;
  }
  return step;
}

export function fastTransactionRecord(who: AgentIdentity, raw: unknown): TransactionRecord | null {
  if (!isObj(raw)) return null;
  const t = raw;
  if (typeof t.txid !== 'string' || !TXID_RE.test(t.txid)) return null;
  if (!isNonNeg(t.start) || !isNonNeg(t.end) || !isNonNeg(t.elapsed) || !isStr(t.url, LIMITS.maxUrl)) return null;
  const method = opt<string>(t.method, (v) => isStr(v, LIMITS.maxMethod), 'GET');
  const status = opt<number>(t.status, (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= LIMITS.maxStatus, 0);
  const clientIp = opt<string>(t.clientIp, (v) => isStr(v, LIMITS.maxShort), '');
  const userAgent = opt<string>(t.userAgent, (v) => isStr(v, LIMITS.maxUserAgent), '');
  const cpu = opt<number>(t.cpu, isNonNeg, 0);
  const sqlCount = opt<number>(t.sqlCount, isCount, 0);
  const sqlTime = opt<number>(t.sqlTime, isNonNeg, 0);
  const httpcCount = opt<number>(t.httpcCount, isCount, 0);
  const httpcTime = opt<number>(t.httpcTime, isNonNeg, 0);
  if (
    method === undefined || status === undefined || clientIp === undefined || userAgent === undefined ||
    cpu === undefined || sqlCount === undefined || sqlTime === undefined || httpcCount === undefined ||
    httpcTime === undefined
  ) {
    return null;
  }
  const traceId = traceField(t.traceId, TRACE_ID_RE);
  const spanId = traceField(t.spanId, SPAN_ID_RE);
  const parentSpanId = traceField(t.parentSpanId, SPAN_ID_RE);
  if (traceId === undefined || spanId === undefined || parentSpanId === undefined) return null;
  let params: string | null = null;
  if (t.params != null) {
    if (!isStr(t.params, LIMITS.maxParams)) return null;
    params = t.params;
  }
  let errorClass: string | null = null;
  let errorMessage: string | null = null;
  let errorStack: string | null = null;
  if (t.error != null) {
    const e = t.error;
    if (!isObj(e) || !isStr(e.class, LIMITS.maxShort)) return null;
    const message = opt<string>(e.message, (v) => isStr(v, LIMITS.maxText), '');
    const stack = opt<string>(e.stack, (v) => isStr(v, LIMITS.maxText), '');
    if (message === undefined || stack === undefined) return null;
    errorClass = e.class;
    errorMessage = message;
    errorStack = stack;
  }
  let steps: Step[] = [];
  if (t.steps !== undefined) {
    if (!Array.isArray(t.steps) || t.steps.length > LIMITS.maxSteps) return null;
    steps = new Array<Step>(t.steps.length);
    for (let i = 0; i < t.steps.length; i++) {
      const s = fastStep(t.steps[i]);
      if (!s) return null;
      steps[i] = s;
    }
  }
  return {
    txid: t.txid,
    pcode: who.pcode,
    agentId: who.agentId,
    objectName: who.objectName,
    start: t.start,
    end: t.end,
    elapsed: t.elapsed,
    url: t.url,
    method,
    status,
    errorClass: errorLabel(errorClass, status),
    errorMessage,
    errorStack,
    clientIp,
    userAgent,
    cpu,
    sqlCount,
    sqlTime,
    httpcCount,
    httpcTime,
    params,
    steps,
    traceId,
    spanId,
    parentSpanId,
  };
}

/** All transactions of a batch through the fast path, or null when any needs zod's verdict. */
export function fastTransactionRecords(who: AgentIdentity, items: unknown): TransactionRecord[] | null {
  if (!Array.isArray(items)) return null;
  const out = new Array<TransactionRecord>(items.length);
  for (let i = 0; i < items.length; i++) {
    const r = fastTransactionRecord(who, items[i]);
    if (!r) return null;
    out[i] = r;
  }
  return out;
}
