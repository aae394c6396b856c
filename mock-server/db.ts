import { HttpResponse } from 'msw';
import type { ZodError } from 'zod';
import { CLIENT_HEADER, CLIENT_HEADER_VALUE, errorCodes, type ApiErrorBody } from '../src/api/errors';
import type { ProjectRole } from '../src/api/projects';
import { seedCore, type MockProject, type MockScenario, type MockState, type MockUser } from './data/core-seed';

/**
 * The mock server's in-memory database (users, session, projects, members, licenses,
 * regions). One object, mutated in place, so every handler module sees the same data.
 * Tests reset it after each test (src/testing/setup-tests.ts); in the browser it is
 * kept in sessionStorage so a reload keeps it (mock-server/browser.ts).
 */
export const db: MockState = seedCore('default');

const resetHooks = new Set<() => void>();

/** Other mock stores (agents, hitmap…) register here to be reset with the db. */
export function onDbReset(hook: () => void): () => void {
  resetHooks.add(hook);
  return () => resetHooks.delete(hook);
}

export function resetDb(scenario: MockScenario = 'default'): void {
  Object.assign(db, seedCore(scenario));
  for (const hook of resetHooks) hook();
}

export function snapshotDb(): string {
  return JSON.stringify(db);
}

/** Restores a snapshot; a malformed one is ignored (the seed stays). */
export function restoreDb(json: string): void {
  try {
    const parsed = JSON.parse(json) as Partial<MockState>;
    if (Array.isArray(parsed.users) && Array.isArray(parsed.projects) && Array.isArray(parsed.licenses)) {
      Object.assign(db, seedCore('fresh'), parsed);
    }
  } catch {
    // keep the seed
  }
}

export function nextId(): number {
  return db.nextId++;
}

export function nowIso(): string {
  return new Date().toISOString();
}

// ---- test helpers ---------------------------------------------------------------

/** Signs a seeded user in, as if through the sign-in form. */
export function signInAs(username: string): MockUser {
  const user = db.users.find((u) => u.username === username);
  if (!user) throw new Error(`mock db: no user ${username}`);
  db.sessionUserId = user.id;
  return user;
}

/** Ends the session on the "server", so the next request answers 401. */
export function expireSession(): void {
  db.sessionUserId = null;
}

// ---- responses ------------------------------------------------------------------

/** An error answer in the API's shape `{error: {code, message, field?}}`. */
export function apiError(status: number, code: string, message: string, field?: string) {
  const body: ApiErrorBody = { error: field ? { code, message, field } : { code, message } };
  return HttpResponse.json(body, { status });
}

/** 400 with the first zod issue's message, naming its field. */
export function validationError(error: ZodError) {
  const issue = error.issues[0];
  const field = issue?.path.length ? String(issue.path[0]) : undefined;
  return apiError(400, errorCodes.validation, issue?.message ?? 'Invalid request', field);
}

/** The request body as JSON, or undefined when it is not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

// ---- sign-in and membership -----------------------------------------------------

const ROLE_RANK: Record<ProjectRole, number> = { viewer: 0, member: 1, owner: 2 };

/**
 * The signed-in user, or the error Response to return: 403 `csrf` when a non-GET request
 * lacks the console header, 401 `unauthenticated` when signed out. Use in every handler
 * that needs sign-in:
 *
 *   const user = requireUser(request);
 *   if (user instanceof Response) return user;
 */
export function requireUser(request: Request): MockUser | Response {
  if (request.method !== 'GET' && request.method !== 'HEAD' && request.headers.get(CLIENT_HEADER) !== CLIENT_HEADER_VALUE) {
    return apiError(403, errorCodes.csrf, 'This request is missing the console header. Reload the page and try again.');
  }
  const user = db.users.find((u) => u.id === db.sessionUserId);
  if (!user) return apiError(401, errorCodes.unauthenticated, 'Sign in to continue.');
  return user;
}

export interface MemberAccess {
  user: MockUser;
  project: MockProject;
  role: ProjectRole;
}

/**
 * Checks that the signed-in user may use project `pcode` with at least `minRole`
 * (viewer < member < owner). Returns the access, or the error Response to return:
 * 401 signed out, 403 csrf, 404 unknown project or not a member (so projects of
 * others stay invisible), 403 forbidden when the role is too low. Every handler under
 * /projects/:pcode/ starts with:
 *
 *   const access = requireMember(request, params.pcode as string);
 *   if (access instanceof Response) return access;
 */
export function requireMember(request: Request, pcode: string, minRole: ProjectRole = 'viewer'): MemberAccess | Response {
  const user = requireUser(request);
  if (user instanceof Response) return user;
  const project = db.projects.find((p) => p.pcode === pcode);
  const role = db.members.find((m) => m.pcode === pcode && m.userId === user.id)?.role;
  if (!project || !role) return apiError(404, errorCodes.notFound, 'Project not found.');
  if (ROLE_RANK[role] < ROLE_RANK[minRole]) {
    return apiError(403, errorCodes.forbidden, `Only project ${minRole === 'owner' ? 'owners' : 'owners and members'} can do this.`);
  }
  return { user, project, role };
}
