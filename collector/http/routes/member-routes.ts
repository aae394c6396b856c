import type { FastifyInstance } from 'fastify';
import { routePatterns } from '../../../src/api/paths';
import { addMemberRequestSchema } from '../../../src/api/projects';
import type { ApiContext } from '../context';
import { conflict, invalid } from '../errors';
import { requireRole } from '../membership';

/** Project members: everyone in the project sees the list; owners add existing users with a role. */
export function registerMemberRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get(routePatterns.members, async (request) => ({
    members: await ctx.meta.listMembers(request.tapscope.project.pcode),
  }));

  api.post(routePatterns.members, async (request, reply) => {
    requireRole(request, 'owner', 'add members');
    const { project } = request.tapscope;
    const body = addMemberRequestSchema.parse(request.body ?? {});
    const user = await ctx.meta.getUserByName(body.username);
    if (!user) throw invalid(`There is no user named "${body.username}". An administrator creates users first.`, 'username');
    const members = await ctx.meta.listMembers(project.pcode);
    const owners = members.filter((m) => m.role === 'owner');
    if (body.role !== 'owner' && owners.length === 1 && owners[0]!.userId === user.id)
      throw conflict('A project needs at least one owner. Make someone else an owner first.', 'role');
    await ctx.meta.setMember(project.pcode, user.id, body.role);
    await ctx.audit(request, 'member_added', `project:${project.pcode}`, `user ${user.username} as ${body.role}`);
    return reply.code(201).send({ member: { userId: user.id, username: user.username, role: body.role } });
  });
}
