import type { FastifyInstance } from 'fastify';
import { routePatterns } from '../../../src/api/paths';
import { addMemberRequestSchema, updateMemberRequestSchema, type ProjectRole } from '../../../src/api/projects';
import type { ApiContext } from '../context';
import { conflict, invalid, notFound } from '../../api-error';
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

  /** The member named by `:userId`, or 404; refuses to leave the project without an owner. */
  const target = async (pcode: string, rawId: string, newRole: ProjectRole | null) => {
    const userId = Number(rawId);
    const members = await ctx.meta.listMembers(pcode);
    const member = Number.isInteger(userId) ? members.find((m) => m.userId === userId) : undefined;
    if (!member) throw notFound('That user is not a member of this project.');
    const owners = members.filter((m) => m.role === 'owner');
    if (member.role === 'owner' && newRole !== 'owner' && owners.length === 1)
      throw conflict('A project needs at least one owner. Make someone else an owner first.', 'role');
    return member;
  };

  api.patch(routePatterns.member, async (request) => {
    requireRole(request, 'owner', 'change roles');
    const { project } = request.tapscope;
    const body = updateMemberRequestSchema.parse(request.body ?? {});
    const member = await target(project.pcode, (request.params as { userId: string }).userId, body.role);
    await ctx.meta.setMember(project.pcode, member.userId, body.role);
    await ctx.audit(request, 'member_role_changed', `project:${project.pcode}`, `user ${member.username}: ${member.role} → ${body.role}`);
    return { member: { ...member, role: body.role } };
  });

  api.delete(routePatterns.member, async (request, reply) => {
    requireRole(request, 'owner', 'remove members');
    const { project } = request.tapscope;
    const member = await target(project.pcode, (request.params as { userId: string }).userId, null);
    await ctx.meta.removeMember(project.pcode, member.userId);
    await ctx.audit(request, 'member_removed', `project:${project.pcode}`, `user ${member.username} (was ${member.role})`);
    return reply.code(204).send();
  });
}
