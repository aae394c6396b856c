import type { FastifyInstance } from 'fastify';
import { apiPaths, routePatterns } from '../../../src/api/paths';
import { createProjectRequestSchema, updateProjectRequestSchema } from '../../../src/api/projects';
import { generatePcode } from '../../licenses/license-key';
import type { ProjectRow } from '../../store/meta-store';
import { MetaConflictError } from '../../store/meta-errors';
import type { ApiContext } from '../context';
import { conflict, invalid } from '../../api-error';
import { requireRole } from '../membership';
import { toApiProject } from '../serialize';
import { requireUser } from '../session';

const nameTaken = (name: string) => conflict(`A project named "${name}" already exists. Choose another name.`, 'name');

/** Projects: list, create in a region, read, rename / regroup / change time zone, delete with all data. */
export function registerProjectRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get(apiPaths.projects, async (request) => {
    const user = requireUser(request);
    const rows = await ctx.meta.listProjects(user.id);
    return { projects: rows.map((p) => toApiProject(p, p.role)) };
  });

  api.post(apiPaths.projects, async (request, reply) => {
    const user = requireUser(request);
    const body = createProjectRequestSchema.parse(request.body ?? {});
    if (!ctx.config.regions.some((r) => r.id === body.region)) {
      const known = ctx.config.regions.map((r) => r.id).join(', ');
      throw invalid(`Unknown data region "${body.region}". Choose one of: ${known}.`, 'region');
    }
    if (await ctx.meta.findProjectByName(body.name)) throw nameTaken(body.name);
    const project = await createWithFreshPcode(ctx, { ...body, createdAt: ctx.now() }, user.id);
    await ctx.audit(request, 'project_created', `project:${project.pcode}`, `"${project.name}" in region ${project.region}`);
    return reply.code(201).send({ project: toApiProject(project, 'owner') });
  });

  api.get(routePatterns.project, async (request) => {
    const { project, role } = request.tapscope;
    return { project: toApiProject(project, role) };
  });

  api.patch(routePatterns.project, async (request) => {
    requireRole(request, 'owner', 'change the project settings');
    const { project, role } = request.tapscope;
    const patch = updateProjectRequestSchema.parse(request.body ?? {});
    if (patch.name !== undefined && patch.name.toLowerCase() !== project.name.toLowerCase()) {
      const other = await ctx.meta.findProjectByName(patch.name);
      if (other && other.pcode !== project.pcode) throw nameTaken(patch.name);
    }
    const updated = await ctx.meta.updateProject(project.pcode, patch);
    if (!updated) throw invalid('The project was deleted meanwhile.', 'pcode');
    const changes = (['name', 'group', 'timezone'] as const)
      .filter((k) => updated[k] !== project[k])
      .map((k) => `${k}: "${project[k]}" → "${updated[k]}"`);
    if (changes.length > 0) await ctx.audit(request, 'project_updated', `project:${project.pcode}`, changes.join('; '));
    return { project: toApiProject(updated, role) };
  });

  api.delete(routePatterns.project, async (request, reply) => {
    requireRole(request, 'owner', 'delete the project');
    const { project } = request.tapscope;
    // Meta first: from here on agents are refused and nobody sees the project; then its telemetry.
    await ctx.meta.deleteProject(project.pcode);
    await ctx.telemetry.deleteProject(project.pcode);
    await ctx.audit(request, 'project_deleted', `project:${project.pcode}`, `"${project.name}"`);
    return reply.code(204).send();
  });
}

/** pcodes are 40 random bits; a collision is rare but must not become an error. */
async function createWithFreshPcode(
  ctx: ApiContext,
  row: Omit<ProjectRow, 'pcode' | 'deletedAt'>,
  ownerId: number,
): Promise<ProjectRow> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.meta.createProject({ ...row, pcode: generatePcode() }, ownerId);
    } catch (err) {
      if (!(err instanceof MetaConflictError && err.field === 'pcode') || attempt >= 4) throw err;
    }
  }
}
