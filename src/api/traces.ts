import { z } from 'zod';
import { API } from './paths';
import { TRACE_ID_PATTERN } from './wire';

/**
 * GET /api/v1/traces/:traceId — one W3C trace across the projects of this collector: its
 * transactions the signed-in user may see (projects they are a member of), and in place of the
 * others a hidden node ("a service in a project you cannot see") with none of their data.
 * 404 when the id is not a trace id, or the user can see no transaction of the trace.
 */
export const tracePath = (traceId: string) => `${API}/traces/${encodeURIComponent(traceId)}`;
export const traceRoutePattern = `${API}/traces/:traceId`;

const TRACE_ID_RE = new RegExp(TRACE_ID_PATTERN);

/** A trace id the API looks up: 32 lowercase hex digits, not all zero (W3C Trace Context). */
export function isTraceId(value: string): boolean {
  return TRACE_ID_RE.test(value) && !/^0+$/.test(value);
}

/** An HTTP call a transaction made inside the trace (an `httpc` step that carried `traceparent`). */
export const traceCallSchema = z.object({
  /** The span id the call sent: the callee's `parentSpanId`. */
  spanId: z.string(),
  /** The called URL (scheme, host, port, path). */
  url: z.string(),
  /** Offset from the calling transaction's start, ms. */
  start: z.number(),
  elapsed: z.number(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type TraceCall = z.infer<typeof traceCallSchema>;

/** Where a node sits in the tree: `parent` is the index of its caller in `nodes`, null for a root. */
const placement = {
  /** Its index in `nodes`. */
  id: z.number().int().nonnegative(),
  parent: z.number().int().nonnegative().nullable(),
  depth: z.number().int().nonnegative(),
};

export const visibleTraceNodeSchema = z.object({
  hidden: z.literal(false),
  ...placement,
  /** The index in the parent's `calls` of the call that started this transaction; null when not known. */
  parentCall: z.number().int().nonnegative().nullable(),
  pcode: z.string(),
  projectName: z.string(),
  txid: z.string(),
  agentId: z.number().int(),
  objectName: z.string(),
  url: z.string(),
  method: z.string(),
  status: z.number().int(),
  /** The error label; null: not failed. */
  error: z.string().nullable(),
  /** Epoch ms. */
  start: z.number(),
  end: z.number(),
  elapsed: z.number(),
  spanId: z.string().nullable(),
  parentSpanId: z.string().nullable(),
  calls: z.array(traceCallSchema),
});
export type VisibleTraceNode = z.infer<typeof visibleTraceNodeSchema>;

/** A transaction in a project the user is not a member of: where it sits, nothing else. */
export const hiddenTraceNodeSchema = z.object({ hidden: z.literal(true), ...placement });
export type HiddenTraceNode = z.infer<typeof hiddenTraceNodeSchema>;

export const traceNodeSchema = z.discriminatedUnion('hidden', [visibleTraceNodeSchema, hiddenTraceNodeSchema]);
export type TraceNode = z.infer<typeof traceNodeSchema>;

export const traceSchema = z.object({
  traceId: z.string(),
  /** Depth first from each root (roots and siblings by start time; hidden nodes after visible ones). */
  nodes: z.array(traceNodeSchema),
});
export type Trace = z.infer<typeof traceSchema>;
