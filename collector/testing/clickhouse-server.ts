import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, serverDir, serviceUser, spawnAs, stopProcess, waitUntil } from './server-process';

/** The server binary: Debian's `clickhouse-server`, or the single `clickhouse` binary of newer builds. */
export function clickhouseCommand(): { cmd: string; args: string[] } | null {
  for (const p of ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'])
    if (existsSync(p)) return { cmd: p, args: [] };
  if (existsSync('/usr/bin/clickhouse')) return { cmd: '/usr/bin/clickhouse', args: ['server'] };
  return null;
}

/** True when the tests can run a ClickHouse server here. */
export function clickhouseAvailable(): boolean {
  if (clickhouseCommand() === null) return false;
  try {
    serviceUser('clickhouse');
    return true;
  } catch {
    return false;
  }
}

export interface ClickHouseServer {
  httpPort: number;
  /** The server process (for CPU accounting in benchmarks). */
  pid: number;
  /** `http://127.0.0.1:<port>/<database>` for the telemetry store (user `default`, no password). */
  url(database?: string): string;
  /** `clickhouse://tapscope:…@127.0.0.1:<port>/<database>`: the password-protected test user. */
  authUrl(database: string): string;
  /** Runs one statement over HTTP; returns the response text. */
  query(sql: string): Promise<string>;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The smallest config ClickHouse 18.16 (and newer) starts with: both ports on 127.0.0.1,
 * every path under the temp dir, one `default` user without password and one with (see
 * CH_TEST_USER), reachable from 127.0.0.1 only. Timezone UTC so day partitions do not depend on the machine.
 */
function configXml(dir: string, httpPort: number, tcpPort: number): string {
  const d = escapeXml(dir);
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${d}/server.log</log><errorlog>${d}/server.err.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${d}/data/</path>
  <tmp_path>${d}/tmp/</tmp_path>
  <user_files_path>${d}/user_files/</user_files_path>
  <format_schema_path>${d}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
</yandex>
`;
}

/** A second user with a password, so tests go through authentication as a deployment does. */
export const CH_TEST_USER = 'tapscope';
export const CH_TEST_PASSWORD = 'tapscope-test-password';

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <tapscope>
      <password>${CH_TEST_PASSWORD}</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </tapscope>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

/** Starts a throw-away ClickHouse server; resolves once `/ping` answers. */
export async function startClickHouseServer(): Promise<ClickHouseServer> {
  const command = clickhouseCommand();
  if (!command) throw new Error('ClickHouse is not installed (apt-get install clickhouse-server clickhouse-client)');
  const user = serviceUser('clickhouse');
  const tmp = serverDir('tapscope-ch-', user);
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  const config = join(tmp.dir, 'config.xml');
  writeFileSync(config, configXml(tmp.dir, httpPort, tcpPort));
  writeFileSync(join(tmp.dir, 'users.xml'), USERS_XML);
  if (user) for (const f of ['config.xml', 'users.xml']) chownSync(join(tmp.dir, f), user.uid, user.gid);
  const server = spawnAs(user, command.cmd, [...command.args, `--config-file=${config}`], { cwd: tmp.dir });
  const base = `http://127.0.0.1:${httpPort}`;
  const query = async (sql: string) => {
    const res = await fetch(`${base}/`, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse: ${text.trim()}`);
    return text;
  };
  try {
    await waitUntil('ClickHouse start', async () => (await fetch(`${base}/ping`)).ok, { process: server, ms: 60_000 });
  } catch (err) {
    await stopProcess(server, 'SIGKILL');
    tmp.remove();
    throw err;
  }
  return {
    httpPort,
    pid: server.pid!,
    url: (database = 'default') => `${base}/${database}`,
    authUrl: (database) => `clickhouse://${CH_TEST_USER}:${CH_TEST_PASSWORD}@127.0.0.1:${httpPort}/${database}`,
    query,
    async createDatabase(name) {
      await query(`CREATE DATABASE IF NOT EXISTS ${name.replace(/[^A-Za-z0-9_]/g, '')}`);
      return `${base}/${name}`;
    },
    async stop() {
      // 18.16 takes ~8 s to shut down cleanly; its data is throw-away, so do not wait long.
      await stopProcess(server, 'SIGTERM', 500);
      tmp.remove();
    },
  };
}
