import { z } from 'zod';
import { STEP_KINDS } from './wire';

/** Query of GET /api/v1/projects/:pcode/transactions (times in epoch ms). */
export const transactionQuerySchema = z.object({
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
  minElapsed: z.coerce.number().nonnegative().optional(),
  maxElapsed: z.coerce.number().nonnegative().optional(),
  error: z.enum(['true', 'false']).optional(),
  agent: z.coerce.number().int().optional(),
  url: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  sort: z.enum(['end', 'elapsed']).default('end'),
});
export type TransactionQuery = z.input<typeof transactionQuerySchema>;

export const transactionSummarySchema = z.object({
  txid: z.string(),
  agentId: z.number().int(),
  objectName: z.string(),
  start: z.number(),
  end: z.number(),
  elapsed: z.number(),
  url: z.string(),
  method: z.string(),
  status: z.number().int(),
  error: z.string().nullable(),
  sqlCount: z.number().int(),
  sqlTime: z.number(),
  httpcCount: z.number().int(),
  httpcTime: z.number(),
});
export type TransactionSummary = z.infer<typeof transactionSummarySchema>;

export const transactionListSchema = z.object({
  transactions: z.array(transactionSummarySchema),
  /** The true number of matching transactions, when the list is capped by `limit`. */
  total: z.number().int(),
});
export type TransactionList = z.infer<typeof transactionListSchema>;

export const stepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof stepKindSchema>;

export const stepSchema = z.object({
  kind: stepKindSchema,
  /** Offset from the transaction start, ms. */
  start: z.number(),
  elapsed: z.number(),
  /** SQL (normalized), URL, method name, message, error class. */
  text: z.string(),
  /** Encrypted parameters, envelope `v1.salt.nonce.ct` (docs/paramkey.md). */
  params: z.string().nullable().optional(),
  fetch: z.number().int().nullable().optional(),
  status: z.number().int().nullable().optional(),
  error: z.string().nullable().optional(),
  /** Nesting depth for the tree view (0 = directly under the transaction). */
  depth: z.number().int().nonnegative().optional(),
  /** HTTP calls: the W3C span id the call carried, the callee's parent span (src/api/traces.ts). */
  spanId: z.string().optional(),
});
export type Step = z.infer<typeof stepSchema>;

export const transactionProfileSchema = z.object({
  transaction: transactionSummarySchema.extend({
    cpu: z.number(),
    clientIp: z.string(),
    userAgent: z.string(),
    errorMessage: z.string().nullable(),
    errorStack: z.string().nullable(),
    /** Encrypted HTTP parameters (query/form). */
    params: z.string().nullable(),
    /** W3C trace context, when the agent traced it (GET /api/v1/traces/:traceId shows the whole trace). */
    traceId: z.string().optional(),
    spanId: z.string().optional(),
    parentSpanId: z.string().optional(),
  }),
  steps: z.array(stepSchema),
});
export type TransactionProfile = z.infer<typeof transactionProfileSchema>;
