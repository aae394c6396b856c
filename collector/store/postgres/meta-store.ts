import type { MetaStore, UserRow } from '../meta-store';
import { pgAgentMethods } from './meta-agents';
import { pgAuditMethods } from './meta-audit';
import { pgLicenseMethods } from './meta-licenses';
import { pgMetaMigrations } from './meta-migrations';
import { pgProjectMethods } from './meta-projects';
import { pgUserMethods } from './meta-users';
import { migrate } from './migrate';
import { createPgPool, type PgPoolOptions } from './pool';

/** The PostgreSQL meta store, with the same extras as the SQLite one. */
export interface PostgresMetaStore extends MetaStore {
  listUsers(): Promise<UserRow[]>;
}

export interface PostgresMetaOptions extends PgPoolOptions {
  /** Clock for the writes whose interface method takes no time (project deletion). */
  now?: () => number;
}

/**
 * Connects to `postgres://…`, applies pending migrations and returns the store. Every method
 * is one statement or one transaction, committed before it resolves; nothing is cached in
 * the process, so any number of collectors can share the database.
 */
export async function openPostgresMetaStore(url: string, options: PostgresMetaOptions = {}): Promise<PostgresMetaStore> {
  const pool = createPgPool(url, options);
  try {
    await migrate(pool, pgMetaMigrations, 'the PostgreSQL meta database');
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const now = options.now ?? Date.now;
  let closing: Promise<void> | undefined;
  return {
    ...pgUserMethods(pool),
    ...pgProjectMethods(pool, now),
    ...pgLicenseMethods(pool),
    ...pgAgentMethods(pool),
    ...pgAuditMethods(pool),
    close: () => (closing ??= pool.end()),
  };
}
