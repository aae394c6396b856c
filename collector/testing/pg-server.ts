import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, runAs, serverDir, serviceUser, spawnAs, stopProcess, waitUntil } from './server-process';

const PG_ROOT = '/usr/lib/postgresql';

/** Debian's PostgreSQL bin directory (the newest installed version), or null. */
export function postgresBinDir(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(join(PG_ROOT, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(PG_ROOT, versions[0]!, 'bin') : null;
}

/** True when the tests can run a PostgreSQL server here. */
export function postgresAvailable(): boolean {
  if (postgresBinDir() === null) return false;
  try {
    serviceUser('postgres');
    return true;
  } catch {
    return false;
  }
}

export interface PgServer {
  port: number;
  /** URL of a database on the server (default the maintenance database "postgres"). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away PostgreSQL on 127.0.0.1 (free port, socket in a temp dir, trust auth,
 * fsync off: it is test data). Stop it with stop(); the directory goes with it.
 */
export async function startPgServer(): Promise<PgServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const user = serviceUser('postgres');
  const tmp = serverDir('tapscope-pg-', user);
  const data = join(tmp.dir, 'data');
  try {
    await runAs(user, join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (err) {
    tmp.remove();
    throw err;
  }
  const port = await freePort();
  const server = spawnAs(user, join(bin, 'postgres'), [
    '-D', data, '-k', tmp.dir, '-p', String(port), '-h', '127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=200', '-c', 'log_min_messages=warning',
  ]);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  try {
    await waitUntil('PostgreSQL start', async () => (await query('SELECT 1'), true), { process: server });
  } catch (err) {
    await stopProcess(server, 'SIGKILL');
    tmp.remove();
    throw err;
  }
  return {
    port,
    url,
    async createDatabase(name) {
      await query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      return url(name);
    },
    async stop() {
      // SIGINT: PostgreSQL's "fast" shutdown (disconnects clients instead of waiting for them).
      await stopProcess(server, 'SIGINT');
      tmp.remove();
    },
  };
}
