import { z } from 'zod';

export const licenseSchema = z.object({
  id: z.number().int(),
  /** The part of the key that stays visible after issue, e.g. `tsl_k3x9m2pq_7GQ2` */
  prefix: z.string(),
  label: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type License = z.infer<typeof licenseSchema>;

/** GET /api/v1/projects/:pcode/licenses */
export const licenseListSchema = z.object({ licenses: z.array(licenseSchema) });

/** POST /api/v1/projects/:pcode/licenses */
export const createLicenseRequestSchema = z.object({
  label: z.string().trim().max(80, 'Label must be at most 80 characters').default(''),
});
export type CreateLicenseRequest = z.input<typeof createLicenseRequestSchema>;

/** The answer of POST: the only time the full key is ever shown. */
export const createdLicenseSchema = z.object({ license: licenseSchema, key: z.string() });
export type CreatedLicense = z.infer<typeof createdLicenseSchema>;
