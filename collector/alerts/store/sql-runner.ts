/**
 * The few calls the alert store needs from a SQL engine. Statements use `?` placeholders and
 * SQL both engines speak (INSERT … ON CONFLICT, RETURNING); each engine's runner binds them
 * its own way and keeps its own migrations, so no query branches on the engine.
 */
export interface SqlRunner {
  all<T>(sql: string, args?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, args?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, args?: readonly unknown[]): Promise<number>;
  /** Runs `fn` in one transaction (on one connection); rolls back when it throws. */
  tx<T>(fn: (sql: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
