import type { PgClient, PgPool } from '../../store/postgres/pool';
import type { SqlRunner } from './sql-runner';

/** `?` → `$1, $2 …` (the alert store's SQL has no `?` inside literals). */
const cache = new Map<string, string>();
function numbered(sql: string): string {
  let out = cache.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    cache.set(sql, out);
  }
  return out;
}

type Queryable = Pick<PgPool | PgClient, 'query'>;

function over(q: Queryable, tx: SqlRunner['tx'], close: SqlRunner['close']): SqlRunner {
  return {
    all: async <T>(sql: string, args: readonly unknown[] = []) => (await q.query(numbered(sql), [...args])).rows as T[],
    get: async <T>(sql: string, args: readonly unknown[] = []) =>
      (await q.query(numbered(sql), [...args])).rows[0] as T | undefined,
    run: async (sql: string, args: readonly unknown[] = []) => (await q.query(numbered(sql), [...args])).rowCount ?? 0,
    tx,
    close,
  };
}

/** A SqlRunner over a pool; a transaction runs on one pooled connection. */
export function pgRunner(pool: PgPool): SqlRunner {
  const tx: SqlRunner['tx'] = async (fn) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const inner: SqlRunner = over(
        client,
        (f) => f(inner),
        async () => {},
      );
      const value = await fn(inner);
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  };
  return over(pool, tx, () => pool.end());
}
