import type { ProjectRole } from '../../src/api/projects';
import type { ProjectRow, UserRow } from '../store/meta-store';

/** A signed-in user as the routes see it: never the password hash. */
export type SessionUser = Omit<UserRow, 'passwordHash'>;

export type AuthState =
  | { kind: 'signed-in'; user: SessionUser; tokenHash: string }
  /** A cookie was sent but its session expired or was signed out elsewhere. */
  | { kind: 'expired' }
  | { kind: 'anonymous' };

/** What the membership guard establishes for every route with `:pcode` in its URL. */
export interface ProjectAccess {
  user: SessionUser;
  project: ProjectRow;
  role: ProjectRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved from the session cookie for every /api request. */
    auth: AuthState;
    /**
     * Set by the membership guard before the handler of every route whose URL has `:pcode`:
     * the caller is signed in and a member of this live project. Not set on other routes.
     */
    tapscope: ProjectAccess;
  }
}
