import { http, HttpResponse } from 'msw';
import {
  createUserRequestSchema,
  setupRequestSchema,
  signInRequestSchema,
  USER_DISABLED_MESSAGE,
  type Me,
  type SetupStatus,
  type User,
} from '../../src/api/auth';
import { errorCodes } from '../../src/api/errors';
import { apiPaths } from '../../src/api/paths';
import type { MockUser } from '../data/core-seed';
import { apiError, db, nextId, nowIso, readJson, requireUser, validationError } from '../db';

/** The mock installation's setup token (a real collector prints a random one at start). */
export const MOCK_SETUP_TOKEN = 'mock-setup-token';
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 60_000;

/** A mock user as the API shows it (never the password); an older saved mock db has no disabledAt. */
export function toUser(u: MockUser): User {
  return { id: u.id, username: u.username, admin: u.admin, createdAt: u.createdAt, disabledAt: u.disabledAt ?? null };
}

export const authHandlers = [
  http.get(apiPaths.setup, () => HttpResponse.json<SetupStatus>({ needsSetup: db.users.length === 0 })),

  http.post(apiPaths.setup, async ({ request }) => {
    const parsed = setupRequestSchema.safeParse(await readJson(request));
    if (db.users.length > 0) {
      return apiError(409, errorCodes.setupDone, 'Tapscope is already set up. Sign in instead.');
    }
    const token = (parsed.success ? parsed.data.token : '').trim();
    if (parsed.success && token !== MOCK_SETUP_TOKEN)
      return apiError(403, errorCodes.setupToken, `The setup token is wrong. The mock server's token is "${MOCK_SETUP_TOKEN}".`, 'token');
    if (!parsed.success) return validationError(parsed.error);
    const user: MockUser = { id: nextId(), username: parsed.data.username, password: parsed.data.password, admin: true, createdAt: nowIso(), disabledAt: null };
    db.users.push(user);
    db.sessionUserId = user.id;
    return HttpResponse.json<Me>({ user: toUser(user) }, { status: 201 });
  }),

  http.post(apiPaths.session, async ({ request }) => {
    const parsed = signInRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return validationError(parsed.error);
    const { username, password } = parsed.data;
    const now = Date.now();
    const failures = (db.signInFailures[username] ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    if (failures.length >= MAX_FAILURES) {
      const wait = Math.ceil((FAILURE_WINDOW_MS - (now - failures[0]!)) / 1000);
      return apiError(429, errorCodes.rateLimited, `Too many failed sign-in attempts. Try again in ${wait} seconds.`);
    }
    const user = db.users.find((u) => u.username === username);
    if (!user || user.password !== password) {
      db.signInFailures[username] = [...failures, now];
      return apiError(401, errorCodes.unauthenticated, 'Wrong username or password.');
    }
    delete db.signInFailures[username];
    // As the collector: only the right password learns that the account is disabled.
    if (user.disabledAt) return apiError(403, errorCodes.accountDisabled, USER_DISABLED_MESSAGE);
    db.sessionUserId = user.id;
    return HttpResponse.json<Me>({ user: toUser(user) });
  }),

  http.delete(apiPaths.session, ({ request }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    db.sessionUserId = null;
    return new HttpResponse(null, { status: 204 });
  }),

  // Sign out everywhere: the mock has one session (this tab's).
  http.delete(apiPaths.sessions, ({ request }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    db.sessionUserId = null;
    return new HttpResponse(null, { status: 204 });
  }),

  http.get(apiPaths.me, ({ request }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    return HttpResponse.json<Me>({ user: toUser(user) });
  }),

  http.post(apiPaths.users, async ({ request }) => {
    const me = requireUser(request);
    if (me instanceof Response) return me;
    if (!me.admin) return apiError(403, errorCodes.forbidden, 'Only administrators can create users.');
    const parsed = createUserRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return validationError(parsed.error);
    if (db.users.some((u) => u.username === parsed.data.username)) {
      return apiError(409, errorCodes.conflict, 'A user with this name already exists.', 'username');
    }
    const user: MockUser = { id: nextId(), ...parsed.data, admin: false, createdAt: nowIso(), disabledAt: null };
    db.users.push(user);
    return HttpResponse.json<Me>({ user: toUser(user) }, { status: 201 });
  }),
];
