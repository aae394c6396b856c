import type { UserStore, SessionRow, UserRow } from '../meta-store';
import { type SessionDbRow, toSession, toUser, type UserDbRow } from '../meta-rows';
import { lastAdmin, MetaConflictError, onlyOwner } from '../meta-errors';
import { inTransaction, type PgClient, type PgPool, uniqueViolation } from './pool';

/** Any constant: the advisory lock that makes "create the first admin" one at a time across collectors. */
const FIRST_ADMIN_LOCK = 7_366_170_002;

/**
 * Taken by every change that must keep an enabled administrator (disable, delete): the
 * check and the write of one collector finish before another collector's check starts.
 */
const ADMINS_LOCK = 7_366_170_003;

/** Live projects in which the user is the one and only owner. */
const SOLE_OWNED = `SELECT p.name FROM members m JOIN projects p ON p.pcode = m.pcode
  WHERE m.user_id = $1 AND m.role = 'owner' AND p.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM members o WHERE o.pcode = m.pcode AND o.role = 'owner' AND o.user_id <> m.user_id)
  ORDER BY lower(p.name) COLLATE "C"`;

/** The user, and whether they are the last enabled administrator, under the admins lock. */
async function lockedUser(client: PgClient, id: number): Promise<{ user: UserRow; last: boolean } | null> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [ADMINS_LOCK]);
  const { rows } = await client.query<UserDbRow>('SELECT * FROM users WHERE id = $1', [id]);
  if (!rows[0]) return null;
  const user = toUser(rows[0]);
  if (!user.admin || user.disabledAt !== null) return { user, last: false };
  const others = await client.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM users WHERE admin AND disabled_at IS NULL AND id <> $1',
    [id],
  );
  return { user, last: others.rows[0]!.n === 0 };
}

/** Users and sessions. */
export function pgUserMethods(pool: PgPool): UserStore {
  const insertUser = async (db: PgPool | PgClient, username: string, passwordHash: string, admin: boolean, now: number) => {
    try {
      const { rows } = await db.query<UserDbRow>(
        'INSERT INTO users (username, password_hash, admin, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
        [username, passwordHash, admin, now],
      );
      return toUser(rows[0]!);
    } catch (err) {
      if (uniqueViolation(err) !== null) throw new MetaConflictError('username', `The username "${username}" is taken.`);
      throw err;
    }
  };
  const one = async (sql: string, args: unknown[]) => {
    const { rows } = await pool.query<UserDbRow>(sql, args);
    return rows[0] ? toUser(rows[0]) : null;
  };

  return {
    countUsers: async () => (await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM users')).rows[0]!.n,
    // Under READ COMMITTED two setups could both count zero; the lock makes the second wait and see the first.
    createFirstAdmin: (username, passwordHash, now) =>
      inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
        const { rows } = await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM users');
        return rows[0]!.n > 0 ? null : insertUser(client, username, passwordHash, true, now);
      }),
    createUser: (username, passwordHash, admin, now) => insertUser(pool, username, passwordHash, admin, now),
    getUserByName: (username) => one('SELECT * FROM users WHERE lower(username) = lower($1)', [username]),
    getUser: (id) => one('SELECT * FROM users WHERE id = $1', [id]),
    listUsers: async () =>
      (await pool.query<UserDbRow>('SELECT * FROM users ORDER BY lower(username) COLLATE "C", id')).rows.map(toUser),
    setUserDisabled: (id, at) =>
      inTransaction(pool, async (client) => {
        const found = await lockedUser(client, id);
        if (!found) return null;
        if (at !== null) {
          if (found.last) throw lastAdmin('disabled');
          await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
          if (found.user.disabledAt !== null) return found.user;
        }
        const { rows } = await client.query<UserDbRow>('UPDATE users SET disabled_at = $1 WHERE id = $2 RETURNING *', [at, id]);
        return toUser(rows[0]!);
      }),
    deleteUser: (id) =>
      inTransaction(pool, async (client) => {
        const found = await lockedUser(client, id);
        if (!found) return false;
        if (found.last) throw lastAdmin(undefined);
        const owned = (await client.query<{ name: string }>(SOLE_OWNED, [id])).rows.map((r) => r.name);
        if (owned.length > 0) throw onlyOwner(found.user.username, owned);
        await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
        await client.query('DELETE FROM members WHERE user_id = $1', [id]);
        await client.query('DELETE FROM users WHERE id = $1', [id]);
        return true;
      }),

    createSession: async (s: SessionRow) => {
      await pool.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        s.tokenHash,
        s.userId,
        s.createdAt,
        s.expiresAt,
      ]);
    },
    getSession: async (tokenHash) => {
      const { rows } = await pool.query<SessionDbRow>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
      const r = rows[0];
      return r ? toSession(r) : null;
    },
    deleteSession: async (tokenHash) => {
      await pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    deleteExpiredSessions: async (now) => (await pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0,
    deleteUserSessions: async (userId) => (await pool.query('DELETE FROM sessions WHERE user_id = $1', [userId])).rowCount ?? 0,
  };
}
