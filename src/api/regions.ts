import { z } from 'zod';

export const regionSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** host:port addresses agents connect to, in failover order. */
  ingest: z.array(z.string()).min(1),
});
export type Region = z.infer<typeof regionSchema>;

/** GET /api/v1/regions */
export const regionListSchema = z.object({ regions: z.array(regionSchema) });
