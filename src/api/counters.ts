import { z } from 'zod';

export const counterQuerySchema = z.object({
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
  agent: z.coerce.number().int().optional(),
});
export type CounterQuery = z.input<typeof counterQuerySchema>;

/** One 5-second counter sample of one agent (or one roll-up bucket). */
export const counterPointSchema = z.object({
  time: z.number(),
  agentId: z.number().int(),
  tps: z.number(),
  txCount: z.number(),
  txError: z.number(),
  respTime: z.number(),
  activeBands: z.tuple([z.number(), z.number(), z.number()]),
  cpu: z.number(),
  mem: z.number(),
  apdex: z.number().nullable(),
  dropped: z.number(),
});
export type CounterPoint = z.infer<typeof counterPointSchema>;

export const counterSeriesSchema = z.object({
  /** Bucket width of the points, ms (5000 for raw samples, more for roll-ups). */
  step: z.number().int(),
  points: z.array(counterPointSchema),
});
export type CounterSeries = z.infer<typeof counterSeriesSchema>;
