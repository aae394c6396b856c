import { z } from 'zod';
import { stepKindSchema } from '../../src/api/transactions';

/** Limits the collector enforces on what agents send (docs/protocol.md, "Transaction"). */
export const LIMITS = {
  maxSteps: 4096,
  maxText: 64 * 1024,
  maxParams: 64 * 1024,
  maxUrl: 2048,
  maxShort: 256,
  maxBatch: 1000,
} as const;

const PROTO_VERSION = 1;

/** Finite numbers only: JSON cannot carry NaN, but agents may send absurd magnitudes. */
const num = z.number().finite();
const nonNeg = num.nonnegative();
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const short = z.string().max(LIMITS.maxShort);
const text = z.string().max(LIMITS.maxText);
const envelope = z.string().max(LIMITS.maxParams).nullable().optional();

export const helloSchema = z.object({
  proto: z.literal(PROTO_VERSION),
  license: z.string().max(128),
  objectName: z.string().min(1).max(LIMITS.maxShort),
  appName: short.default(''),
  processName: short.default(''),
  hostname: short.default(''),
  ip: short.default(''),
  pid: z.number().int().nonnegative().max(2 ** 31).default(0),
  agentVersion: short.default(''),
  pythonVersion: short.default(''),
});
export type Hello = z.infer<typeof helloSchema>;

export const wireStepSchema = z.object({
  kind: stepKindSchema,
  start: num,
  elapsed: nonNeg,
  text,
  params: envelope,
  fetch: count.nullable().optional(),
  status: z.number().int().min(0).max(999).nullable().optional(),
  error: text.nullable().optional(),
  depth: z.number().int().nonnegative().max(1024).optional(),
});

export const wireTransactionSchema = z.object({
  txid: z.string().regex(/^[0-9A-Za-z_-]{8,32}$/, 'txid must be 8–32 characters of [0-9a-zA-Z_-]'),
  start: nonNeg,
  end: nonNeg,
  elapsed: nonNeg,
  url: z.string().max(LIMITS.maxUrl),
  method: z.string().max(16).default('GET'),
  status: z.number().int().min(0).max(999).default(0),
  error: z
    .object({ class: z.string().max(LIMITS.maxShort), message: text.default(''), stack: text.default('') })
    .nullable()
    .default(null),
  clientIp: short.default(''),
  userAgent: z.string().max(1024).default(''),
  cpu: nonNeg.default(0),
  sqlCount: count.default(0),
  sqlTime: nonNeg.default(0),
  httpcCount: count.default(0),
  httpcTime: nonNeg.default(0),
  params: envelope,
  steps: z.array(wireStepSchema).max(LIMITS.maxSteps).default([]),
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

/** `seq` first, so a batch with a readable seq but bad contents can be REJECTed by seq. */
export const seqSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const txBatchSchema = z.object({
  seq: seqSchema,
  txs: z.array(wireTransactionSchema).max(LIMITS.maxBatch),
});

export const counterBatchSchema = z.object({
  seq: seqSchema,
  counters: z.array(wireCounterSchema).max(LIMITS.maxBatch),
});

export const heartbeatSchema = z.object({ time: num.optional() }).passthrough();

/** "txs[3].steps[2].text" from a zod issue path, for REJECT messages. */
export function issueField(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** The first zod issue in plain words, without echoing the offending (untrusted, maybe huge) value. */
export function describeIssue(err: z.ZodError): { field: string; message: string } {
  const issue = err.issues[0];
  if (!issue) return { field: '', message: 'invalid' };
  const field = issueField(issue.path);
  return { field, message: `${field || 'body'}: ${issue.message}` };
}
