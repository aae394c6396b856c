import type Database from 'better-sqlite3';
import type { SqlRunner } from './sql-runner';

/** better-sqlite3 binds booleans as an error; the store writes them as 0 / 1 already. */
const bind = (args: readonly unknown[]) => args as unknown[];

/**
 * A SqlRunner over one better-sqlite3 connection. Calls are synchronous underneath; a
 * transaction holds a queue so two async transactions never interleave on the connection.
 */
export function sqliteRunner(db: Database.Database): SqlRunner {
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const direct: Omit<SqlRunner, 'tx' | 'close'> = {
    all: async <T>(sql: string, args: readonly unknown[] = []) => stmt(sql).all(...bind(args)) as T[],
    get: async <T>(sql: string, args: readonly unknown[] = []) => stmt(sql).get(...bind(args)) as T | undefined,
    run: async (sql: string, args: readonly unknown[] = []) => stmt(sql).run(...bind(args)).changes,
  };
  const runner: SqlRunner = {
    ...direct,
    tx: <T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T> => {
      const result = queue.then(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const value = await fn({ ...runner, tx: (inner) => inner(runner) });
          db.exec('COMMIT');
          return value;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      });
      queue = result.catch(() => {});
      return result;
    },
    close: async () => {
      await queue;
      db.close();
    },
  };
  return runner;
}
