import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { openStores, openStoresReady } from './stores';
import { openSqliteTelemetryStore } from './store/sqlite/telemetry-store';
import { makeDataDir } from './testing/test-collector';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

describe('openStores', () => {
  it('creates the data directory with meta.sqlite and telemetry.sqlite', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const nested = join(dataDir, 'a', 'b');
    const stores = openStores(loadConfig({ TAPSCOPE_DATA_DIR: nested }));
    expect(await stores.meta.countUsers()).toBe(0);
    expect(existsSync(join(nested, 'meta.sqlite'))).toBe(true);
    expect(existsSync(join(nested, 'telemetry.sqlite'))).toBe(true);
    await stores.close();
    await stores.close();
  });

  it('closes the meta store when the telemetry store cannot open', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    let metaClosed = false;
    const config = loadConfig({ TAPSCOPE_DATA_DIR: dataDir });
    expect(() =>
      openStores(config, {
        meta: () => ({ close: async () => void (metaClosed = true) }) as never,
        telemetry: () => {
          throw new Error('disk full');
        },
      }),
    ).toThrow('disk full');
    expect(metaClosed).toBe(true);
    let telemetryClosed = false;
    const stores = openStores(config, {
      telemetry: (file) => {
        const store = openSqliteTelemetryStore(file);
        return { ...store, close: () => store.close().then(() => void (telemetryClosed = true)) };
      },
    });
    await stores.close();
    expect(telemetryClosed).toBe(true);
  });

  it('connects scale-out engines on use, reports an unreachable one by host only, and retries', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const config = loadConfig({
      TAPSCOPE_DATA_DIR: dataDir,
      // Port 1 on loopback: refused at once.
      TAPSCOPE_META_URL: 'postgres://tapscope:s3cret-pw@127.0.0.1:1/tapscope',
      TAPSCOPE_TELEMETRY_URL: 'clickhouse://tapscope:s3cret-pw@127.0.0.1:1/tapscope',
    });
    const logged: string[] = [];
    const log = { error: (what: string, err: Error) => logged.push(`${what}: ${err.message}`) };
    const stores = openStores(config, {}, log);
    expect(existsSync(join(dataDir, 'meta.sqlite'))).toBe(false);
    const err = await stores.ready().catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    await expect(stores.meta.countUsers()).rejects.toThrow();
    expect(stores.telemetry.backlog()).toBe(0);
    expect(logged.join('\n')).toContain('cannot open PostgreSQL at 127.0.0.1:1/tapscope');
    expect(logged.join('\n')).toContain('cannot open ClickHouse at 127.0.0.1:1/tapscope');
    expect(logged.join('\n') + String(err)).not.toContain('s3cret-pw');
    await stores.close();
    await expect(openStoresReady(config, {}, log)).rejects.toThrow();
  });
});
