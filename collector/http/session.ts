import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, newSessionToken } from '../auth/tokens';
import type { UserRow } from '../store/meta-store';
import type { ApiContext } from './context';
import { readCookie, serializeCookie } from './cookies';
import { unauthenticated } from '../api-error';
import type { AuthState, SessionUser } from './request-context';

export const SESSION_COOKIE = 'tapscope_session';
export const EXPIRED_MESSAGE = 'Your session has expired. Sign in again.';

const DAY_MS = 86_400_000;
/** Tokens are 43 base64url characters; anything else is not ours and is not looked up. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function publicUser(user: UserRow | SessionUser): SessionUser {
  return { id: user.id, username: user.username, admin: user.admin, createdAt: user.createdAt, disabledAt: user.disabledAt };
}

/** Resolves the request's session cookie; an expired session is deleted on sight. */
export async function resolveAuth(ctx: ApiContext, request: FastifyRequest): Promise<AuthState> {
  const token = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (token === undefined || token === '') return { kind: 'anonymous' };
  if (!TOKEN_RE.test(token)) return { kind: 'expired' };
  const tokenHash = hashToken(token);
  const session = await ctx.meta.getSession(tokenHash);
  if (!session) return { kind: 'expired' };
  if (session.expiresAt <= ctx.now()) {
    await ctx.meta.deleteSession(tokenHash);
    return { kind: 'expired' };
  }
  const user = await ctx.meta.getUser(session.userId);
  // Disabling deletes the sessions too; this check also closes the race with a sign-in that
  // verified the password just before the account was disabled.
  if (!user || user.disabledAt !== null) return { kind: 'expired' };
  return { kind: 'signed-in', user: publicUser(user), tokenHash };
}

/** The signed-in user, or a 401 that says whether the session expired. */
export function requireUser(request: FastifyRequest): SessionUser {
  const auth = request.auth;
  if (auth.kind === 'signed-in') return auth.user;
  throw unauthenticated(auth.kind === 'expired' ? EXPIRED_MESSAGE : 'Sign in to continue.');
}

/**
 * Cookies are Secure when configured so, when the console is served over HTTPS, or when a
 * trusted proxy says the browser used HTTPS (request.protocol reads X-Forwarded-Proto only then).
 */
function secureCookie(ctx: ApiContext, reply: FastifyReply): boolean {
  return ctx.config.secureCookies || ctx.config.http.tls !== undefined || reply.request.protocol === 'https';
}

/** Starts a new session (a new token every sign-in) and sets its cookie. */
export async function startSession(ctx: ApiContext, reply: FastifyReply, userId: number): Promise<void> {
  const token = newSessionToken();
  const now = ctx.now();
  await ctx.meta.createSession({
    tokenHash: hashToken(token),
    userId,
    createdAt: now,
    expiresAt: now + ctx.config.sessionDays * DAY_MS,
  });
  // Fastify appends Set-Cookie headers: drop a clearing cookie set earlier in this request.
  reply.removeHeader('set-cookie');
  reply.header(
    'set-cookie',
    serializeCookie(SESSION_COOKIE, token, {
      maxAgeSeconds: ctx.config.sessionDays * 86_400,
      secure: secureCookie(ctx, reply),
    }),
  );
}

/** Deletes the request's session, if any, and clears the cookie. */
export async function endSession(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.auth.kind === 'signed-in') await ctx.meta.deleteSession(request.auth.tokenHash);
  clearSessionCookie(ctx, reply);
}

export function clearSessionCookie(ctx: ApiContext, reply: FastifyReply): void {
  reply.removeHeader('set-cookie');
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: secureCookie(ctx, reply) }));
}
