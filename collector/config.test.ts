import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { makeDataDir } from './testing/test-collector';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function configFile(content: unknown): string {
  const { dataDir, remove } = makeDataDir();
  cleanups.push(remove);
  const file = join(dataDir, 'tapscope.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      http: { host: '0.0.0.0', port: 8080, trustProxy: [], logRequests: false },
      ingest: { host: '0.0.0.0', port: 6600, maxFrameBytes: 8 * 1024 * 1024, idleTimeoutMs: 60_000 },
      storage: { meta: 'sqlite', telemetry: 'sqlite' },
      dataDir: resolve('./data'),
      publicHost: '127.0.0.1',
      regions: [{ id: 'local', name: 'Local (this collector)', ingest: ['127.0.0.1:6600'] }],
      retention: { rawDays: 7, rollupDays: 90 },
      apdexMs: 1200,
      sessionDays: 14,
      secureCookies: false,
      alerts: { evaluateEveryMs: 10_000, leaseMs: 15_000, retryBaseMs: 5_000, maxAttempts: 5, sendTimeoutMs: 10_000 },
    });
  });

  it('layers defaults < file < environment < flags', () => {
    const file = configFile({
      http: { port: 9000, host: '127.0.0.1' },
      ingest: { port: 7000 },
      publicHost: 'collector.example.com',
      sessionDays: 7,
    });
    const fromFile = loadConfig({ TAPSCOPE_CONFIG: file });
    expect(fromFile.http).toEqual({ host: '127.0.0.1', port: 9000, trustProxy: [], logRequests: false });
    expect(fromFile.sessionDays).toBe(7);
    expect(fromFile.regions[0]!.ingest).toEqual(['collector.example.com:7000']);

    const fromEnv = loadConfig({
      TAPSCOPE_CONFIG: file,
      TAPSCOPE_HTTP_PORT: '9100',
      TAPSCOPE_INGEST_PORT: '7100',
      TAPSCOPE_INGEST_HOST: '127.0.0.2',
      TAPSCOPE_DATA_DIR: '/var/lib/tapscope',
      TAPSCOPE_META_URL: 'sqlite',
    });
    expect(fromEnv.http).toEqual({ host: '127.0.0.1', port: 9100, trustProxy: [], logRequests: false });
    expect(fromEnv.ingest).toMatchObject({ host: '127.0.0.2', port: 7100 });
    expect(fromEnv.dataDir).toBe('/var/lib/tapscope');

    const fromFlags = loadConfig({ TAPSCOPE_CONFIG: '/does/not/matter.json', TAPSCOPE_HTTP_PORT: '9100' }, [
      '--config',
      file,
      '--http-port',
      '0',
      '--ingest-port',
      '0',
      '--data-dir',
      'rel/dir',
    ]);
    expect(fromFlags.http.port).toBe(0);
    expect(fromFlags.ingest.port).toBe(0);
    expect(fromFlags.dataDir).toBe(resolve('rel/dir'));
  });

  it('takes regions from the file', () => {
    const regions = [
      { id: 'local', name: 'Seoul', ingest: ['10.0.0.5:6600', '10.0.0.6:6600'] },
      { id: 'us-east', name: 'US East', ingest: ['ingest.us.example.com:6600'] },
    ];
    expect(loadConfig({ TAPSCOPE_CONFIG: configFile({ regions }) }).regions).toEqual(regions);
  });

  it('names an unknown key and the file', () => {
    const file = configFile({ http: { prot: 8080 } });
    const err = errorOf(() => loadConfig({ TAPSCOPE_CONFIG: file }));
    expect(err.message).toBe(`config file ${file}: unknown setting "http.prot" (check the spelling; known: host, port, trustProxy, tls, logRequests)`);
    const top = configFile({ retension: {} });
    expect(errorOf(() => loadConfig({ TAPSCOPE_CONFIG: top })).message).toContain('unknown setting "retension" at the top level');
  });

  it('names a bad value, its key and the file', () => {
    const file = configFile({ ingest: { port: 'sixty-six hundred' } });
    expect(errorOf(() => loadConfig({ TAPSCOPE_CONFIG: file })).message).toBe(
      `config file ${file}: "ingest.port" = "sixty-six hundred" must be a port number (0–65535)`,
    );
    const region = configFile({ regions: [{ id: 'eu', name: 'EU', ingest: ['no-port'] }] });
    expect(errorOf(() => loadConfig({ TAPSCOPE_CONFIG: region })).message).toContain('"regions[0].ingest[0]" = "no-port" must look like "host:port"');
    const dupRegion = configFile({ regions: [{ id: 'eu', name: 'A', ingest: ['a:1'] }, { id: 'eu', name: 'B', ingest: ['b:1'] }] });
    expect(errorOf(() => loadConfig({ TAPSCOPE_CONFIG: dupRegion })).message).toContain('repeats the region id "eu"');
  });

  it('names a bad environment variable or flag', () => {
    expect(errorOf(() => loadConfig({ TAPSCOPE_HTTP_PORT: 'eighty' })).message).toBe(
      'TAPSCOPE_HTTP_PORT="eighty" must be a port number (0–65535)',
    );
    expect(errorOf(() => loadConfig({}, ['--ingest-port', '70000'])).message).toBe(
      '--ingest-port=70000 must be a port number (0–65535)',
    );
    expect(errorOf(() => loadConfig({}, ['--htp-port', '1'])).message).toContain("Unknown option '--htp-port'");
  });

  it('turns the request log lines on with TAPSCOPE_LOG_REQUESTS, over the file', () => {
    expect(loadConfig({}).http.logRequests).toBe(false);
    expect(loadConfig({ TAPSCOPE_LOG_REQUESTS: '1' }).http.logRequests).toBe(true);
    expect(loadConfig({ TAPSCOPE_LOG_REQUESTS: 'true' }).http.logRequests).toBe(true);
    const file = configFile({ http: { logRequests: true } });
    expect(loadConfig({ TAPSCOPE_CONFIG: file, TAPSCOPE_LOG_REQUESTS: 'off' }).http.logRequests).toBe(false);
    expect(errorOf(() => loadConfig({ TAPSCOPE_LOG_REQUESTS: 'loud' })).message).toBe('TAPSCOPE_LOG_REQUESTS="loud" must be true or false');
  });

  it('says a missing or broken config file is one', () => {
    expect(errorOf(() => loadConfig({ TAPSCOPE_CONFIG: '/nonexistent/tapscope.json' })).message).toBe(
      'config file /nonexistent/tapscope.json (from TAPSCOPE_CONFIG) does not exist',
    );
    expect(errorOf(() => loadConfig({}, ['--config', '/nonexistent/x.json'])).message).toContain('(from --config) does not exist');
    const broken = configFile('{"http": {');
    expect(errorOf(() => loadConfig({ TAPSCOPE_CONFIG: broken })).message).toMatch(/is not valid JSON/);
    expect(errorOf(() => loadConfig({ TAPSCOPE_CONFIG: configFile('[1]') })).message).toContain('must hold a JSON object');
  });

  it('accepts PostgreSQL and ClickHouse storage URLs, refuses others clearly, and never echoes credentials', () => {
    const ok = loadConfig({
      TAPSCOPE_META_URL: 'postgres://tapscope:s3cret@db/tapscope',
      TAPSCOPE_TELEMETRY_URL: 'clickhouse://ch:8123/tapscope?flushMs=500',
    });
    expect(ok.storage).toEqual({ meta: 'postgres://tapscope:s3cret@db/tapscope', telemetry: 'clickhouse://ch:8123/tapscope?flushMs=500' });

    const wrongEngine = errorOf(() => loadConfig({ TAPSCOPE_META_URL: 'mysql://tapscope:s3cret@db/tapscope' }));
    expect(wrongEngine.message).toContain('TAPSCOPE_META_URL="mysql://***@db/tapscope" must be "sqlite" or a URL like postgres://');
    expect(wrongEngine.message).not.toContain('s3cret');
    const pgTelemetry = errorOf(() => loadConfig({ TAPSCOPE_TELEMETRY_URL: 'postgres://u:s3cret@db/t' }));
    expect(pgTelemetry.message).toContain('cannot be PostgreSQL');
    expect(pgTelemetry.message).not.toContain('s3cret');
    const badOption = errorOf(() => loadConfig({ TAPSCOPE_TELEMETRY_URL: 'clickhouse://u:s3cret@ch:8123/t?flush=1' }));
    expect(badOption.message).toContain('unknown option "flush"');
    expect(badOption.message).not.toContain('s3cret');
    expect(errorOf(() => loadConfig({ TAPSCOPE_TELEMETRY_URL: 'clickhouse://ch:8123/my-db' })).message).toContain(
      'names the database "my-db"',
    );
  });
});
