import type { FastifyInstance, FastifyReply } from 'fastify';
import { setupRequestSchema, signInRequestSchema, USER_DISABLED_MESSAGE } from '../../../src/api/auth';
import { errorCodes } from '../../../src/api/errors';
import { apiPaths } from '../../../src/api/paths';
import { setupTokenMatches } from '../../auth/setup-token';
import type { ApiContext } from '../context';
import { HttpError, unauthenticated } from '../../api-error';
import { sendError } from '../errors';
import { toApiUser } from '../serialize';
import { clearSessionCookie, endSession, publicUser, requireUser, startSession } from '../session';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rateLimited(reply: FastifyReply, retryAfterMs: number, reason: 'too_many_failures' | 'busy') {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  reply.header('retry-after', String(seconds));
  const message =
    reason === 'busy'
      ? `The server is busy checking other sign-ins. Try again in ${seconds} seconds.`
      : retryAfterMs < 60_000
        ? `Too many failed sign-in attempts for this account. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
        : `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  return sendError(reply, 429, errorCodes.rateLimited, message);
}

const SETUP_TOKEN_MISSING =
  'The setup token is missing. The collector prints it when it starts, on the line "setup token: …".';
const SETUP_TOKEN_WRONG =
  'The setup token is wrong. Use the one on the line "setup token: …" of the collector\'s latest start.';

/** First-run setup, sign in, sign out, who am I. */
export function registerAuthRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get(apiPaths.setup, async () => ({ needsSetup: (await ctx.meta.countUsers()) === 0 }));

  api.post(apiPaths.setup, async (request, reply) => {
    const done = () => new HttpError(409, errorCodes.setupDone, 'Tapscope is already set up. Sign in instead.');
    // Checked before hashing so a finished setup costs nothing; createFirstAdmin decides races.
    if ((await ctx.meta.countUsers()) > 0) throw done();
    // The token is checked before anything else: without it nothing about the request matters.
    const raw = request.body;
    // A body that is not an object gets the schema's own error below.
    const given = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { token?: unknown }).token : '';
    if (raw && typeof raw === 'object' && !Array.isArray(raw) && (typeof given !== 'string' || given.trim() === ''))
      throw new HttpError(403, errorCodes.setupToken, SETUP_TOKEN_MISSING, 'token');
    if (typeof given === 'string' && given.trim() !== '' && !setupTokenMatches(given.trim(), ctx.setupToken)) {
      request.log.warn({ ip: request.ip }, 'setup refused: wrong setup token');
      throw new HttpError(403, errorCodes.setupToken, SETUP_TOKEN_WRONG, 'token');
    }
    const body = setupRequestSchema.parse(request.body ?? {});
    const hash = await ctx.passwords.hash(body.password);
    const user = await ctx.meta.createFirstAdmin(body.username, hash, ctx.now());
    if (!user) throw done();
    await startSession(ctx, reply, user.id);
    await ctx.audit(request, 'setup', `user:${user.username}`, 'first administrator created', user.username);
    return reply.code(201).send({ user: toApiUser(publicUser(user)) });
  });

  api.post(apiPaths.session, async (request, reply) => {
    const body = signInRequestSchema.parse(request.body ?? {});
    // Counted now, before anything is awaited: parallel guesses all see each other.
    const admission = ctx.signIn.guard.admit(body.username, request.ip, ctx.now());
    if (admission.kind === 'refused') {
      request.log.warn({ ip: request.ip, reason: admission.reason }, 'sign-in refused: rate limited');
      return rateLimited(reply, admission.retryAfterMs, admission.reason);
    }
    let ok = false;
    let user: Awaited<ReturnType<typeof ctx.meta.getUserByName>> = null;
    try {
      await admission.wait();
      user = await ctx.meta.getUserByName(body.username);
      if (user) ok = await ctx.passwords.verify(body.password, user.passwordHash);
      // Same work for an unknown username, so the answer's timing does not tell which it was.
      else await ctx.passwords.verify(body.password, await ctx.passwords.dummyHash());
    } finally {
      admission.release(ok);
    }
    if (!user || !ok) {
      const failures = ctx.signIn.guard.failures(body.username, request.ip, ctx.now());
      // An unknown name is not recorded: people type passwords into the username field.
      const who = user ? user.username : '(unknown user)';
      await ctx.audit(request, 'sign_in_failed', `user:${who}`, user ? 'wrong password' : 'unknown user', who);
      await delay(Math.min(failures, 8) * ctx.signIn.failureDelayMs);
      throw unauthenticated('Wrong username or password.');
    }

    // Only someone who knows the password learns that the account is disabled: a wrong
    // password got the same 401 as for any other account above.
    if (user.disabledAt !== null) {
      await ctx.audit(request, 'sign_in_failed', `user:${user.username}`, 'account disabled', user.username);
      throw new HttpError(403, errorCodes.accountDisabled, USER_DISABLED_MESSAGE);
    }

    // A new token at every sign-in; the one the browser held before (if any) is destroyed.
    if (request.auth.kind === 'signed-in') await ctx.meta.deleteSession(request.auth.tokenHash);
    await startSession(ctx, reply, user.id);
    await ctx.audit(request, 'sign_in', `user:${user.username}`, '', user.username);
    return { user: toApiUser(publicUser(user)) };
  });

  api.delete(apiPaths.session, async (request, reply) => {
    const auth = request.auth;
    await endSession(ctx, request, reply);
    if (auth.kind === 'signed-in') await ctx.audit(request, 'sign_out', `user:${auth.user.username}`, '', auth.user.username);
    return reply.code(204).send();
  });

  // Sign out everywhere: every session of this user ends, this one included.
  api.delete(apiPaths.sessions, async (request, reply) => {
    const user = requireUser(request);
    const ended = await ctx.meta.deleteUserSessions(user.id);
    clearSessionCookie(ctx, reply);
    await ctx.audit(request, 'signed_out_everywhere', `user:${user.username}`, `${ended} session${ended === 1 ? '' : 's'} ended`);
    return reply.code(204).send();
  });

  api.get(apiPaths.me, async (request) => ({ user: toApiUser(requireUser(request)) }));
}
