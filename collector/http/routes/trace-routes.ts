import type { FastifyInstance } from 'fastify';
import { isTraceId, type Trace, traceRoutePattern } from '../../../src/api/traces';
import { notFound } from '../../api-error';
import type { ApiContext } from '../context';
import { requireUser } from '../session';
import { buildTraceTree } from './trace-tree';

const traceNotFound = () => notFound('No such trace, or none of its transactions is in a project you are a member of.');

/**
 * One trace across every project of this collector (src/api/traces.ts): the signed-in user sees
 * the transactions of the projects they are a member of, and only where the others sit.
 */
export function registerTraceRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get<{ Params: { traceId: string } }>(traceRoutePattern, async (request): Promise<Trace> => {
    const user = requireUser(request);
    const { traceId } = request.params;
    if (!isTraceId(traceId)) throw traceNotFound();
    const [records, projects] = await Promise.all([
      ctx.telemetry.traceTransactions(traceId),
      ctx.meta.listProjects(user.id),
    ]);
    const visible = new Map(projects.filter((p) => p.deletedAt === null).map((p) => [p.pcode, p.name]));
    const nodes = buildTraceTree(records, visible);
    if (nodes === null) throw traceNotFound();
    return { traceId, nodes };
  });
}
