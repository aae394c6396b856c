import { z } from 'zod';

/**
 * One audit log entry: who did what to which object, from where. Every field is plain
 * text (usernames, project names and the like are user input): show it as text.
 */
export const auditEntrySchema = z.object({
  /** ISO 8601. */
  time: z.string(),
  /** The username that acted, or "-" when nobody was signed in. */
  actor: z.string(),
  /** e.g. `user_created`, `sign_in_failed`, `license_issued`. */
  action: z.string(),
  /** The object acted on, e.g. `user:lee`, `project:ab3kq7xz`. */
  target: z.string(),
  detail: z.string(),
  ip: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** GET /api/v1/audit?limit= — the newest entries first; administrators only. */
export const auditListSchema = z.object({ entries: z.array(auditEntrySchema) });
export type AuditList = z.infer<typeof auditListSchema>;

/** How many entries GET /audit answers when `limit` is not given, and at most. */
export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

/** The query of GET /api/v1/audit. */
export const auditQuerySchema = z.object({
  limit: z.coerce
    .number({ invalid_type_error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(AUDIT_MAX_LIMIT, `limit must be at most ${AUDIT_MAX_LIMIT}`)
    .default(AUDIT_DEFAULT_LIMIT),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
