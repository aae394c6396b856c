import type { FastifyInstance } from 'fastify';
import { auditQuerySchema, type AuditList } from '../../../src/api/audit';
import { apiPaths } from '../../../src/api/paths';
import type { ApiContext } from '../context';
import { requireAdmin } from './user-routes';

/** The audit log, newest first, for administrators. Entries never hold a password, key or token (see audit/audit.ts). */
export function registerAuditRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get(apiPaths.audit, async (request): Promise<AuditList> => {
    requireAdmin(request, 'read the audit log');
    const { limit } = auditQuerySchema.parse(request.query ?? {});
    const entries = await ctx.meta.listAudit(limit);
    return { entries: entries.map((e) => ({ ...e, time: new Date(e.time).toISOString() })) };
  });
}
