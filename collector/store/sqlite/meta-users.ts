import type { UserStore, SessionRow, UserRow } from '../meta-store';
import { type SessionDbRow, toSession, toUser as toUserRow, type UserDbRow } from '../meta-rows';
import type { SqliteDatabase } from './db';
import { lastAdmin, MetaConflictError, onlyOwner } from '../meta-errors';
import { isUniqueViolation } from './meta-errors';

/** SQLite has no boolean: `admin` is stored as 0 or 1. */
type SqliteUserDbRow = Omit<UserDbRow, 'admin'> & { admin: number };
const toUser = (r: SqliteUserDbRow): UserRow => toUserRow({ ...r, admin: r.admin === 1 });

/** Users and sessions. */
export function userMethods(db: SqliteDatabase): UserStore {
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
  const otherEnabledAdmins = db.prepare('SELECT COUNT(*) AS n FROM users WHERE admin = 1 AND disabled_at IS NULL AND id <> ?');
  const setDisabledAt = db.prepare('UPDATE users SET disabled_at = ? WHERE id = ? RETURNING *');
  // Live projects in which the user is the one and only owner.
  const soleOwned = db.prepare(
    `SELECT p.name FROM members m JOIN projects p ON p.pcode = m.pcode
     WHERE m.user_id = ? AND m.role = 'owner' AND p.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM members o WHERE o.pcode = m.pcode AND o.role = 'owner' AND o.user_id <> m.user_id)
     ORDER BY p.name COLLATE NOCASE`,
  );
  const deleteMemberships = db.prepare('DELETE FROM members WHERE user_id = ?');
  const deleteUserRow = db.prepare('DELETE FROM users WHERE id = ?');

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

  const isLastAdmin = (u: UserRow) =>
    u.admin && u.disabledAt === null && (otherEnabledAdmins.get(u.id) as { n: number }).n === 0;
  const findUser = (id: number) => {
    const row = byId.get(id) as SqliteUserDbRow | undefined;
    return row ? toUser(row) : null;
  };
  // Each check and its write run in one IMMEDIATE transaction: two admins disabling each
  // other at once cannot both pass the "another admin remains" check.
  const setDisabled = db.transaction((id: number, at: number | null): UserRow | null => {
    const user = findUser(id);
    if (!user) return null;
    if (at !== null) {
      if (isLastAdmin(user)) throw lastAdmin('disabled');
      deleteOfUser.run(id);
      if (user.disabledAt !== null) return user;
    }
    return toUser(setDisabledAt.get(at, id) as SqliteUserDbRow);
  });
  const deleteUser = db.transaction((id: number): boolean => {
    const user = findUser(id);
    if (!user) return false;
    if (isLastAdmin(user)) throw lastAdmin(undefined);
    const owned = (soleOwned.all(id) as Array<{ name: string }>).map((r) => r.name);
    if (owned.length > 0) throw onlyOwner(user.username, owned);
    deleteOfUser.run(id);
    deleteMemberships.run(id);
    deleteUserRow.run(id);
    return true;
  });

  return {
    countUsers: async () => (count.get() as { n: number }).n,
    createFirstAdmin: async (username, passwordHash, now) => firstAdmin.immediate(username, passwordHash, now),
    createUser: async (username, passwordHash, admin, now) => insertUser(username, passwordHash, admin, now),
    getUserByName: async (username) => {
      const row = byName.get(username) as SqliteUserDbRow | undefined;
      return row ? toUser(row) : null;
    },
    getUser: async (id) => findUser(id),
    listUsers: async () => (all.all() as SqliteUserDbRow[]).map(toUser),
    setUserDisabled: async (id, at) => setDisabled.immediate(id, at),
    deleteUser: async (id) => deleteUser.immediate(id),

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
