import type { FastifyInstance } from 'fastify';
import { createUserRequestSchema } from '../../../src/api/auth';
import { apiPaths } from '../../../src/api/paths';
import type { ApiContext } from '../context';
import { conflict, forbidden } from '../errors';
import { toApiUser } from '../serialize';
import { publicUser, requireUser } from '../session';

/** Administrators create the accounts that owners then add to their projects. */
export function registerUserRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.post(apiPaths.users, async (request, reply) => {
    const admin = requireUser(request);
    if (!admin.admin) throw forbidden('Only an administrator can create users.');
    const body = createUserRequestSchema.parse(request.body ?? {});
    if (await ctx.meta.getUserByName(body.username))
      throw conflict(`The username "${body.username}" is taken.`, 'username');
    const user = await ctx.meta.createUser(body.username, await ctx.passwords.hash(body.password), false, ctx.now());
    await ctx.audit(request, 'user_created', `user:${user.username}`);
    return reply.code(201).send({ user: toApiUser(publicUser(user)) });
  });
}
