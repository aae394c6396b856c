import type { MetaUserMethods, SessionRow } from '../meta-store';
import { type SessionDbRow, toSession, toUser, type UserDbRow } from '../meta-rows';
import { MetaConflictError } from '../meta-errors';
import { inTransaction, type PgClient, type PgPool, uniqueViolation } from './pool';

/** Any constant: the advisory lock that makes "create the first admin" one at a time across collectors. */
const FIRST_ADMIN_LOCK = 7_366_170_002;

/** Users and sessions. */
export function pgUserMethods(pool: PgPool): MetaUserMethods {
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
