import type { MetaStore, SessionRow, UserRow } from '../meta-store';
import type { SqliteDatabase } from './db';
import { MetaConflictError } from '../meta-errors';
import { isUniqueViolation } from './meta-errors';

interface UserDbRow {
  id: number;
  username: string;
  password_hash: string;
  admin: number;
  created_at: number;
}

interface SessionDbRow {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

const toUser = (r: UserDbRow): UserRow => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  admin: r.admin === 1,
  createdAt: r.created_at,
});

type UserMethods = Pick<
  MetaStore,
  | 'countUsers'
  | 'createFirstAdmin'
  | 'createUser'
  | 'getUserByName'
  | 'getUser'
  | 'listUsers'
  | 'createSession'
  | 'getSession'
  | 'deleteSession'
  | 'deleteExpiredSessions'
>;

/** Users and sessions. */
export function userMethods(db: SqliteDatabase): UserMethods {
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

  const insertUser = (username: string, passwordHash: string, admin: boolean, now: number): UserRow => {
    try {
      return toUser(insert.get(username, passwordHash, admin ? 1 : 0, now) as UserDbRow);
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
      const row = byName.get(username) as UserDbRow | undefined;
      return row ? toUser(row) : null;
    },
    getUser: async (id) => {
      const row = byId.get(id) as UserDbRow | undefined;
      return row ? toUser(row) : null;
    },
    listUsers: async () => (all.all() as UserDbRow[]).map(toUser),

    createSession: async (s: SessionRow) => {
      insertSession.run(s.tokenHash, s.userId, s.createdAt, s.expiresAt);
    },
    getSession: async (tokenHash) => {
      const r = getSession.get(tokenHash) as SessionDbRow | undefined;
      return r ? { tokenHash: r.token_hash, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at } : null;
    },
    deleteSession: async (tokenHash) => {
      deleteSession.run(tokenHash);
    },
    deleteExpiredSessions: async (now) => deleteExpired.run(now).changes,
  };
}
