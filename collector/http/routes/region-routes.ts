import type { FastifyInstance } from 'fastify';
import { apiPaths } from '../../../src/api/paths';
import type { ApiContext } from '../context';
import { requireUser } from '../session';

/** The configured data regions: where a project's agents send their data. */
export function registerRegionRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get(apiPaths.regions, async (request) => {
    requireUser(request);
    return { regions: ctx.config.regions.map((r) => ({ id: r.id, name: r.name, ingest: r.ingest })) };
  });
}
