import { z } from 'zod';

/**
 * The ingest wire model: what an agent sends for a transaction, its steps and a counter
 * sample, and the protocol's limits (docs/protocol.md, "Transaction"). This is the one
 * definition: the collector validates with these schemas, its fast path
 * (collector/ingest/fast-validate.ts) checks the same constants, and the Python agent's
 * `whatap/wire_model.py` is generated from this file (scripts/gen-wire-model.ts).
 *
 * String lengths are counted as JavaScript counts them: UTF-16 code units.
 */
export const WIRE_LIMITS = {
  /** Steps per transaction, a closing `truncated` step included. */
  maxSteps: 4096,
  /** Characters of a text field: a step's text and error, an error's message and stack. */
  maxText: 16_000,
  /** Characters of an encrypted parameters envelope (docs/paramkey.md). */
  maxParams: 64 * 1024,
  maxUrl: 2048,
  /** Characters of short fields: the error class, the client IP, HELLO's names. */
  maxShort: 256,
  maxMethod: 16,
  maxUserAgent: 1024,
  /** Transactions or counter samples per batch. */
  maxBatch: 1000,
  maxDepth: 1024,
  maxStatus: 999,
} as const;

/** The step kinds, in the order the docs list them. */
export const STEP_KINDS = ['sql', 'httpc', 'method', 'message', 'error', 'dbc', 'truncated'] as const;
export type WireStepKind = (typeof STEP_KINDS)[number];

/** A transaction id: 8–32 characters of [0-9A-Za-z_-]. */
export const TXID_PATTERN = '^[0-9A-Za-z_-]{8,32}$';

/** A W3C trace context trace id: 32 lowercase hex digits (never all zero: the agent does not send those). */
export const TRACE_ID_PATTERN = '^[0-9a-f]{32}$';
/** A W3C trace context span (parent) id: 16 lowercase hex digits. */
export const SPAN_ID_PATTERN = '^[0-9a-f]{16}$';

/** A transaction whose HTTP status is at least this failed, even without an exception. */
export const ERROR_STATUS = 500;

/**
 * The error label of a transaction, or null when it did not fail: its exception's class, else
 * `HTTP <status>` for a status of ERROR_STATUS or more. Decided once, at ingest, and stored.
 */
export function errorLabel(errorClass: string | null, status: number): string | null {
  if (errorClass !== null) return errorClass;
  return status >= ERROR_STATUS ? `HTTP ${status}` : null;
}

/** Finite numbers only: JSON cannot carry NaN, but agents may send absurd magnitudes. */
const num = z.number().finite();
const nonNeg = num.nonnegative();
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const status = z.number().int().min(0).max(WIRE_LIMITS.maxStatus);
const short = z.string().max(WIRE_LIMITS.maxShort);
const text = z.string().max(WIRE_LIMITS.maxText);
const envelope = z.string().max(WIRE_LIMITS.maxParams).nullable().optional();
const traceId = z.string().regex(new RegExp(TRACE_ID_PATTERN), 'traceId must be 32 lowercase hex digits');
const spanId = z.string().regex(new RegExp(SPAN_ID_PATTERN), 'span ids must be 16 lowercase hex digits');

export const wireStepSchema = z.object({
  kind: z.enum(STEP_KINDS),
  start: num,
  elapsed: nonNeg,
  text,
  params: envelope,
  fetch: count.nullable().optional(),
  status: status.nullable().optional(),
  error: text.nullable().optional(),
  depth: z.number().int().nonnegative().max(WIRE_LIMITS.maxDepth).optional(),
  /** httpc steps: the span the call's `traceparent` named, the callee's `parentSpanId`. */
  spanId: spanId.optional(),
});

export const wireTransactionSchema = z.object({
  txid: z.string().regex(new RegExp(TXID_PATTERN), 'txid must be 8–32 characters of [0-9a-zA-Z_-]'),
  start: nonNeg,
  end: nonNeg,
  elapsed: nonNeg,
  url: z.string().max(WIRE_LIMITS.maxUrl),
  method: z.string().max(WIRE_LIMITS.maxMethod).default('GET'),
  status: status.default(0),
  error: z
    .object({ class: short, message: text.default(''), stack: text.default('') })
    .nullable()
    .default(null),
  clientIp: short.default(''),
  userAgent: z.string().max(WIRE_LIMITS.maxUserAgent).default(''),
  cpu: nonNeg.default(0),
  sqlCount: count.default(0),
  sqlTime: nonNeg.default(0),
  httpcCount: count.default(0),
  httpcTime: nonNeg.default(0),
  params: envelope,
  steps: z.array(wireStepSchema).max(WIRE_LIMITS.maxSteps).default([]),
  /** W3C trace context: the trace, this transaction's span, and the caller's span when it joined one. */
  traceId: traceId.optional(),
  spanId: spanId.optional(),
  parentSpanId: spanId.optional(),
});
export type WireTransaction = z.infer<typeof wireTransactionSchema>;

export const wireCounterSchema = z.object({
  time: nonNeg,
  pid: z.number().int().nonnegative().max(2 ** 31).default(0),
  tps: nonNeg.default(0),
  txCount: count.default(0),
  txError: count.default(0),
  respTime: nonNeg.default(0),
  activeBands: z.tuple([count, count, count]).default([0, 0, 0]),
  cpu: nonNeg.default(0),
  mem: nonNeg.default(0),
  apdex: z.number().min(0).max(1).nullable().default(null),
  sqlCount: count.default(0),
  sqlTime: nonNeg.default(0),
  httpcCount: count.default(0),
  httpcTime: nonNeg.default(0),
  dropped: count.default(0),
});
export type WireCounter = z.infer<typeof wireCounterSchema>;
