import type { MetaUserMethods, SessionRow, UserRow } from '../meta-store';
import { type SessionDbRow, toSession, toUser as toUserRow, type UserDbRow } from '../meta-rows';
import type { SqliteDatabase } from './db';
import { MetaConflictError } from '../meta-errors';
import { isUniqueViolation } from './meta-errors';

/** SQLite has no boolean: `admin` is stored as 0 or 1. */
type SqliteUserDbRow = Omit<UserDbRow, 'admin'> & { admin: number };
const toUser = (r: SqliteUserDbRow): UserRow => toUserRow({ ...r, admin: r.admin === 1 });

/** Users and sessions. */
export function userMethods(db: SqliteDatabase): MetaUserMethods {
  const count = db.prepare('SELECT COUNT(*) AS n FROM users');
  const insert = db.prepare(
    'INSERT INTO users (username, password_hash, admin, created_at) VALUES (?, ?, ?, ?) RETURNING *',
  );
  const byName = db.prepare('SELECT * FROM users WHERE username = ?');
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const all = db.prepare('SELECT * FROM users ORDER BY username');
  const insertSession = db.prepare(
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const getSession = db.prepare('SELECT * FROM sessions WHERE token_hash = ?');
  const deleteSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const deleteOfUser = db.prepare('DELETE FROM sessions WHERE user_id = ?');

  const insertUser = (username: string, passwordHash: string, admin: boolean, now: number): UserRow => {
    try {
      return toUser(insert.get(username, passwordHash, admin ? 1 : 0, now) as SqliteUserDbRow);
    } catch (err) {
      if (isUniqueViolation(err)) throw new MetaConflictError('username', `The username "${username}" is taken.`);
      throw err;
    }
  };
  // IMMEDIATE takes the write lock before counting, so two concurrent setups (even from
  // two processes) cannot both see zero users.
  const firstAdmin = db.transaction((username: string, passwordHash: string, now: number) => {
    const { n } = count.get() as { n: number };
    return n > 0 ? null : insertUser(username, passwordHash, true, now);
  });

  return {
    countUsers: async () => (count.get() as { n: number }).n,
    createFirstAdmin: async (username, passwordHash, now) => firstAdmin.immediate(username, passwordHash, now),
    createUser: async (username, passwordHash, admin, now) => insertUser(username, passwordHash, admin, now),
    getUserByName: async (username) => {
      const row = byName.get(username) as SqliteUserDbRow | undefined;
      return row ? toUser(row) : null;
    },
    getUser: async (id) => {
      const row = byId.get(id) as SqliteUserDbRow | undefined;
      return row ? toUser(row) : null;
    },
    listUsers: async () => (all.all() as SqliteUserDbRow[]).map(toUser),

    createSession: async (s: SessionRow) => {
      insertSession.run(s.tokenHash, s.userId, s.createdAt, s.expiresAt);
    },
    getSession: async (tokenHash) => {
      const r = getSession.get(tokenHash) as SessionDbRow | undefined;
      return r ? toSession(r) : null;
    },
    deleteSession: async (tokenHash) => {
      deleteSession.run(tokenHash);
    },
    deleteExpiredSessions: async (now) => deleteExpired.run(now).changes,
    deleteUserSessions: async (userId) => deleteOfUser.run(userId).changes,
  };
}
