import { http, HttpResponse } from 'msw';
import { auditQuerySchema, type AuditEntry, type AuditList } from '../../src/api/audit';
import { updateUserRequestSchema, type Me, type UserList } from '../../src/api/auth';
import { errorCodes } from '../../src/api/errors';
import { apiPaths, routePatterns } from '../../src/api/paths';
import type { MockState, MockUser } from '../data/core-seed';
import { apiError, db, nowIso, readJson, requireUser, validationError } from '../db';
import { toUser } from './auth';

// POST /users lives in ./auth.ts, next to setup and sign-in.

const DAY_MS = 86_400_000;

/** The signed-in administrator, or the error Response (401, 403 csrf, 403 forbidden). */
function requireAdmin(request: Request, action: string): MockUser | Response {
  const user = requireUser(request);
  if (user instanceof Response) return user;
  if (!user.admin) return apiError(403, errorCodes.forbidden, `Only an administrator can ${action}.`);
  return user;
}

/**
 * The mock keeps no audit table: the log is derived from the db on every request, so a
 * user created or a key issued in the mock shows up at once. One failed sign-in with a
 * hostile username shows that the console renders every field as text.
 */
function deriveAudit(state: MockState): AuditEntry[] {
  const users = [...state.users].sort((a, b) => a.id - b.id);
  const first = users.find((u) => u.admin);
  if (!first) return [];
  const entry = (time: string | number, actor: string, action: string, target: string, detail = '', ip = '127.0.0.1') => ({
    time: new Date(time).toISOString(),
    actor,
    action,
    target,
    detail,
    ip,
  });
  const ownerOf = (pcode: string) =>
    state.users.find((u) => state.members.some((m) => m.pcode === pcode && m.userId === u.id && m.role === 'owner'))
      ?.username ?? first.username;

  const entries: AuditEntry[] = [
    entry(first.createdAt, first.username, 'setup', `user:${first.username}`, 'first administrator created'),
    ...users
      .filter((u) => u !== first)
      .map((u) => entry(u.createdAt, first.username, 'user_created', `user:${u.username}`)),
    ...users
      .filter((u) => u.disabledAt)
      .map((u) => entry(u.disabledAt!, first.username, 'user_disabled', `user:${u.username}`, 'signed out everywhere')),
    ...state.projects.map((p) =>
      entry(p.createdAt, ownerOf(p.pcode), 'project_created', `project:${p.pcode}`, `"${p.name}" in region ${p.region}`),
    ),
    ...state.licenses.flatMap((l) => [
      entry(l.createdAt, l.createdBy, 'license_issued', `license:${l.prefix}`, l.label ? `label "${l.label}"` : ''),
      ...(l.revokedAt ? [entry(l.revokedAt, l.createdBy, 'license_revoked', `license:${l.prefix}`)] : []),
    ]),
    entry(
      Date.parse(first.createdAt) + 2 * DAY_MS,
      '<img src=x onerror=alert(1)>',
      'sign_in_failed',
      'user:<img src=x onerror=alert(1)>',
      'unknown user',
      '203.0.113.9',
    ),
  ];
  return entries.sort((a, b) => b.time.localeCompare(a.time));
}

export const usersHandlers = [
  http.get(apiPaths.users, ({ request }) => {
    const admin = requireAdmin(request, 'list users');
    if (admin instanceof Response) return admin;
    const users = [...db.users]
      .sort((a, b) => a.username.localeCompare(b.username, 'en', { sensitivity: 'base' }))
      .map(toUser);
    return HttpResponse.json<UserList>({ users });
  }),

  http.get(apiPaths.audit, ({ request }) => {
    const admin = requireAdmin(request, 'read the audit log');
    if (admin instanceof Response) return admin;
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = auditQuerySchema.safeParse(query);
    if (!parsed.success) return validationError(parsed.error);
    return HttpResponse.json<AuditList>({ entries: deriveAudit(db).slice(0, parsed.data.limit) });
  }),

  http.patch(routePatterns.user, async ({ request, params }) => {
    const admin = requireAdmin(request, 'disable or enable users');
    if (admin instanceof Response) return admin;
    const parsed = updateUserRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return validationError(parsed.error);
    const user = db.users.find((u) => u.id === Number(params.id));
    if (!user) return apiError(404, errorCodes.notFound, 'There is no such user.');
    if (user === admin && parsed.data.disabled)
      return apiError(409, errorCodes.conflict, 'You cannot disable your own account. Another administrator can.', 'disabled');
    if (!parsed.data.disabled) user.disabledAt = null;
    else user.disabledAt ??= nowIso();
    return HttpResponse.json<Me>({ user: toUser(user) });
  }),

  http.delete(routePatterns.user, ({ request, params }) => {
    const admin = requireAdmin(request, 'delete users');
    if (admin instanceof Response) return admin;
    const user = db.users.find((u) => u.id === Number(params.id));
    if (!user) return apiError(404, errorCodes.notFound, 'There is no such user.');
    if (user === admin) return apiError(409, errorCodes.conflict, 'You cannot delete your own account. Another administrator can.');
    const owners = (pcode: string) => db.members.filter((m) => m.pcode === pcode && m.role === 'owner');
    const onlyOwned = db.projects.filter((p) => {
      const o = owners(p.pcode);
      return o.length === 1 && o[0]!.userId === user.id;
    });
    if (onlyOwned.length > 0) {
      const names = onlyOwned.map((p) => `"${p.name}"`).join(', ');
      const one = onlyOwned.length === 1;
      return apiError(
        409,
        errorCodes.conflict,
        `${user.username} is the only owner of ${names}. Make someone else an owner of ${one ? 'it' : 'each'} first, or delete ${one ? 'the project' : 'those projects'}.`,
      );
    }
    db.users = db.users.filter((u) => u !== user);
    db.members = db.members.filter((m) => m.userId !== user.id);
    return new HttpResponse(null, { status: 204 });
  }),
];
