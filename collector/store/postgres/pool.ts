import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/** int8 (BIGINT, COUNT) arrives as a JS number: every one we store is an epoch ms or an id below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PgPoolOptions {
  /** Connections per collector; default 10. */
  max?: number;
  /** Errors of idle connections (a server restart); they must not crash the process. */
  onError?: (err: Error) => void;
}

/** A pool for `postgres://user:pass@host:port/db` (libpq-style query options such as sslmode pass through). */
export function createPgPool(url: string, opts: PgPoolOptions = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A stuck query must not hold a console request or an agent handshake forever.
    statement_timeout: 30_000,
    application_name: 'tapscope-collector',
  });
  pool.on('error', (err) => opts.onError?.(err));
  return pool;
}

/** Runs `fn` in one transaction on one connection; rolls back when it throws. */
export async function inTransaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** The unique index or constraint a write violated, or null for any other error. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' ? String(e.constraint ?? '') : null;
}
