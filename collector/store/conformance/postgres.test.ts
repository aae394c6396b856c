import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, postgresAvailable, startPgServer } from '../../testing/pg-server';
import { openPostgresMetaStore } from '../postgres/meta-store';
import { postgresMetaEngine } from './engines';
import { describeMetaConformance } from './meta-suite';

// Enabled when Debian's PostgreSQL is installed (scripts/install-system-deps.sh installs it for `npm test`).
describe.runIf(postgresAvailable())('PostgreSQL meta store', () => {
  let server: PgServer;
  beforeAll(async () => {
    server = await startPgServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describeMetaConformance(postgresMetaEngine(() => server));

  it('migrates once when several collectors start at the same time, and refuses a newer schema', async () => {
    const url = await server.createDatabase('migrations');
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresMetaStore(url)));
    expect(await stores[0]!.countUsers()).toBe(0);
    await Promise.all(stores.map((s) => s.close()));

    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'users_disabled_at' },
      { version: 3, name: 'agents_app_pids' },
    ]);
    await client.query("INSERT INTO schema_migrations VALUES (99, 'future', 0)");
    await client.end();
    await expect(openPostgresMetaStore(url)).rejects.toThrow(/newer Tapscope \(schema version 99/);
  });

  it('fails to open with a clear error when the server is unreachable, without echoing the password', async () => {
    const err = await openPostgresMetaStore('postgres://tapscope:s3cret-pass@127.0.0.1:1/nothing').catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(String(err)).not.toContain('s3cret-pass');
  });
});
