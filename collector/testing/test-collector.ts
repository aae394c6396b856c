import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiPaths } from '../../src/api/paths';
import { buildApp, type AppOptions } from '../app';
import { loadConfig, type CollectorConfig } from '../config';
import type { MetaStore } from '../store/meta-store';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { openSqliteTelemetryStore, type SqliteTelemetryStore } from '../store/sqlite/telemetry-store';
import { ApiClient } from './api-client';

export interface TestCollector {
  url: string;
  dataDir: string;
  config: CollectorConfig;
  app: FastifyInstance;
  meta: MetaStore;
  telemetry: SqliteTelemetryStore;
  /** A fresh browser-like client (its own cookie jar). */
  client(): ApiClient;
  /** Stops the app and closes the stores; the data directory stays (see removeDataDir). */
  close(): Promise<void>;
}

export interface TestCollectorOptions extends Omit<AppOptions, 'server'> {
  /** Reuse a data directory (to test a restart); default a fresh temp dir. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Changes the loaded config before the app is built (settings without an environment variable). */
  configure?: (config: CollectorConfig) => CollectorConfig;
}

/** A temp data directory, removed by the returned function. */
export function makeDataDir(): { dataDir: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'tapscope-test-'));
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * The console API on a real socket (127.0.0.1, free port) over real SQLite meta and telemetry
 * files in the data directory. Logs are off unless `logger` is given.
 */
export async function startTestCollector(options: TestCollectorOptions = {}): Promise<TestCollector> {
  const { dataDir = makeDataDir().dataDir, env, configure = (c) => c, ...appOptions } = options;
  const config = configure(loadConfig({ TAPSCOPE_DATA_DIR: dataDir, TAPSCOPE_HTTP_HOST: '127.0.0.1', ...env }));
  const meta = openSqliteMetaStore(join(dataDir, 'meta.sqlite'), { now: appOptions.now });
  // Written on the calling thread: console tests write little, and a thread per collector costs more.
  const telemetry = openSqliteTelemetryStore(join(dataDir, 'telemetry.sqlite'), { inlineWriter: true });
  const app = await buildApp(
    { config, meta, telemetry },
    {
      logger: false,
      signInFailureDelayMs: 0,
      consoleDir: join(dataDir, 'no-console'),
      setupToken: TEST_SETUP_TOKEN,
      ...appOptions,
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    dataDir,
    config,
    app,
    meta,
    telemetry,
    client: () => new ApiClient(url),
    close: async () => {
      await app.close();
      await telemetry.close();
      await meta.close();
    },
  };
}

export const ADMIN = { username: 'admin', password: 'correct horse battery' };
/** The setup token of every test collector (a real collector makes a random one and prints it). */
export const TEST_SETUP_TOKEN = 'test-setup-token-0123456789';

/** Runs first-time setup; the client is then signed in as the admin. */
export async function setupAdmin(client: ApiClient, admin = ADMIN, token = TEST_SETUP_TOKEN): Promise<void> {
  const res = await client.post(apiPaths.setup, { ...admin, token });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** An admin creates a user; returns a client signed in as that user. */
export async function createUserClient(
  admin: ApiClient,
  username: string,
  password = 'another long password',
): Promise<ApiClient> {
  const created = await admin.post(apiPaths.users, { username, password });
  if (created.status !== 201) throw new Error(`create user failed: ${created.status} ${JSON.stringify(created.body)}`);
  const client = new ApiClient(admin.baseUrl);
  const signIn = await client.post(apiPaths.session, { username, password });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status}`);
  return client;
}
