import type { FastifyRequest } from 'fastify';
import type { ProjectRole } from '../../src/api/projects';
import type { ApiContext } from './context';
import { forbidden, notFound } from '../api-error';
import { requireUser } from './session';

const RANK: Record<ProjectRole, number> = { viewer: 0, member: 1, owner: 2 };

/** The same answer for "no such project" and "not yours": existence is not revealed. */
export const projectNotFound = () => notFound('No such project, or you are not a member of it.');

/**
 * The membership guard, run for every API route whose URL has `:pcode` (the console routes
 * and the telemetry routes alike): signed in, else 401; a member of a live project, else
 * 404; viewers may only read. Sets `request.tapscope`.
 */
export async function guardProject(ctx: ApiContext, request: FastifyRequest): Promise<void> {
  const pcode = (request.params as Record<string, string | undefined> | undefined)?.pcode;
  if (pcode === undefined) return;
  const user = requireUser(request);
  const project = await ctx.meta.getProject(pcode);
  if (!project || project.deletedAt !== null) throw projectNotFound();
  const role = await ctx.meta.getRole(pcode, user.id);
  if (!role) throw projectNotFound();
  if (role === 'viewer' && request.method !== 'GET' && request.method !== 'HEAD')
    throw forbidden('Viewers can look but not change anything in this project. Ask an owner for the member role.');
  request.tapscope = { user, project, role };
}

/** Refuses with 403 unless the caller's role in the project is at least `minimum`. */
export function requireRole(request: FastifyRequest, minimum: ProjectRole, action: string): void {
  const { role } = request.tapscope;
  if (RANK[role] < RANK[minimum]) throw forbidden(`Only a project ${minimum} can ${action}.`);
}
