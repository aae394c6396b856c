import { z } from 'zod';

export const statKindSchema = z.enum(['transactions', 'sql', 'httpc', 'errors']);
export type StatKind = z.infer<typeof statKindSchema>;

export const statQuerySchema = z.object({
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
  agent: z.coerce.number().int().optional(),
});

export const statRowSchema = z.object({
  /** URL, normalized SQL, HTTP-call host/URL, or error class. */
  key: z.string(),
  count: z.number(),
  errors: z.number(),
  avg: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  total: z.number(),
  sqlTime: z.number().optional(),
  httpcTime: z.number().optional(),
  /** errors only */
  message: z.string().optional(),
  url: z.string().optional(),
  lastSeen: z.number().optional(),
  exampleTxid: z.string().optional(),
});
export type StatRow = z.infer<typeof statRowSchema>;

export const statTableSchema = z.object({ kind: statKindSchema, rows: z.array(statRowSchema) });
export type StatTable = z.infer<typeof statTableSchema>;
