import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createUserRequestSchema, updateUserRequestSchema, type UserList } from '../../../src/api/auth';
import { apiPaths, routePatterns } from '../../../src/api/paths';
import type { ApiContext } from '../context';
import { conflict, forbidden, notFound } from '../../api-error';
import type { SessionUser } from '../request-context';
import { toApiUser } from '../serialize';
import { publicUser, requireUser } from '../session';

/** The signed-in administrator; 401 when signed out, 403 `forbidden` for anyone else. */
export function requireAdmin(request: FastifyRequest, action: string): SessionUser {
  const user = requireUser(request);
  if (!user.admin) throw forbidden(`Only an administrator can ${action}.`);
  return user;
}

const NO_SUCH_USER = 'There is no such user.';

/** The `:id` of the URL as a user id; anything else names no user. */
function targetId(request: FastifyRequest): number {
  const id = Number((request.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(NO_SUCH_USER);
  return id;
}

/**
 * Administrators list, create, disable, enable and delete the accounts that owners then add
 * to their projects. Disabling or deleting ends the user's sessions at once; no administrator
 * can do either to their own account (nor, by the store's check, to the last enabled one).
 */
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

  api.patch(routePatterns.user, async (request) => {
    const me = requireAdmin(request, 'disable or enable users');
    const id = targetId(request);
    const body = updateUserRequestSchema.parse(request.body ?? {});
    if (id === me.id && body.disabled)
      throw conflict('You cannot disable your own account. Another administrator can.', 'disabled');
    const before = await ctx.meta.getUser(id);
    const user = await ctx.meta.setUserDisabled(id, body.disabled ? ctx.now() : null);
    if (!before || !user) throw notFound(NO_SUCH_USER);
    // Only a change is logged: repeating the same click records nothing new.
    if ((before.disabledAt !== null) !== body.disabled)
      await ctx.audit(
        request,
        body.disabled ? 'user_disabled' : 'user_enabled',
        `user:${user.username}`,
        body.disabled ? 'signed out everywhere' : '',
      );
    return { user: toApiUser(publicUser(user)) };
  });

  api.delete(routePatterns.user, async (request, reply) => {
    const me = requireAdmin(request, 'delete users');
    const id = targetId(request);
    if (id === me.id) throw conflict('You cannot delete your own account. Another administrator can.');
    const user = await ctx.meta.getUser(id);
    if (!user || !(await ctx.meta.deleteUser(id))) throw notFound(NO_SUCH_USER);
    await ctx.audit(request, 'user_deleted', `user:${user.username}`, user.admin ? 'was an administrator' : '');
    return reply.code(204).send();
  });
}
