import { z } from 'zod';
import { WIRE_LIMITS, wireCounterSchema, wireTransactionSchema } from '../../src/api/wire';

/**
 * The ingest frames' bodies. The transaction, step and counter model and the limits are the
 * contract's (src/api/wire.ts); this adds the handshake and the batch envelopes.
 */
const PROTO_VERSION = 1;

const short = z.string().max(WIRE_LIMITS.maxShort);

export const helloSchema = z.object({
  proto: z.literal(PROTO_VERSION),
  license: z.string().max(128),
  objectName: z.string().min(1).max(WIRE_LIMITS.maxShort),
  appName: short.default(''),
  processName: short.default(''),
  hostname: short.default(''),
  ip: short.default(''),
  pid: z.number().int().nonnegative().max(2 ** 31).default(0),
  agentVersion: short.default(''),
  pythonVersion: short.default(''),
});

/** `seq` first, so a batch with a readable seq but bad contents can be REJECTed by seq. */
export const seqSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const txBatchSchema = z.object({
  seq: seqSchema,
  txs: z.array(wireTransactionSchema).max(WIRE_LIMITS.maxBatch),
});

export const counterBatchSchema = z.object({
  seq: seqSchema,
  counters: z.array(wireCounterSchema).max(WIRE_LIMITS.maxBatch),
});

/** "txs[3].steps[2].text" from a zod issue path, for REJECT messages. */
function issueField(path: ReadonlyArray<string | number>): string {
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
