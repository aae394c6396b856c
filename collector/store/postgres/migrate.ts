import { pendingMigrations, type SqlMigration } from '../migrations';
import { inTransaction, type PgPool } from './pool';

/** Any constant: the key of the advisory lock that serializes migrations across collectors. */
const MIGRATION_LOCK = 7_366_170_001;

/**
 * Applies the pending migrations in one transaction. Several collectors may start at once
 * against one database: the advisory lock makes the others wait, then find nothing to do.
 * Refuses a database written by a newer Tapscope rather than run against an unknown schema.
 */
export async function migrate(pool: PgPool, migrations: readonly SqlMigration[], what: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    for (const m of pendingMigrations(migrations, rows[0]?.v ?? 0, what)) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
  });
}
