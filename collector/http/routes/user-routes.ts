import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createUserRequestSchema, type UserList } from '../../../src/api/auth';
import { apiPaths } from '../../../src/api/paths';
import type { ApiContext } from '../context';
import { conflict, forbidden } from '../errors';
import type { SessionUser } from '../request-context';
import { toApiUser } from '../serialize';
import { publicUser, requireUser } from '../session';

/** The signed-in administrator; 401 when signed out, 403 `forbidden` for anyone else. */
export function requireAdmin(request: FastifyRequest, action: string): SessionUser {
  const user = requireUser(request);
  if (!user.admin) throw forbidden(`Only an administrator can ${action}.`);
  return user;
}

/** Administrators list and create the accounts that owners then add to their projects. */
export function registerUserRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get(apiPaths.users, async (request): Promise<UserList> => {
    requireAdmin(request, 'list users');
    // publicUser drops the password hash: it never leaves the store layer.
    return { users: (await ctx.meta.listUsers()).map((u) => toApiUser(publicUser(u))) };
  });

  api.post(apiPaths.users, async (request, reply) => {
    requireAdmin(request, 'create users');
    const body = createUserRequestSchema.parse(request.body ?? {});
    if (await ctx.meta.getUserByName(body.username))
      throw conflict(`The username "${body.username}" is taken.`, 'username');
    const user = await ctx.meta.createUser(body.username, await ctx.passwords.hash(body.password), false, ctx.now());
    await ctx.audit(request, 'user_created', `user:${user.username}`);
    return reply.code(201).send({ user: toApiUser(publicUser(user)) });
  });
}
