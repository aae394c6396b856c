import { join } from 'node:path';
import type { CollectorConfig } from './config';
import { openClickHouseTelemetryStore } from './store/clickhouse/telemetry-store';
import type { MetaStore } from './store/meta-store';
import { openPostgresMetaStore } from './store/postgres/meta-store';
import { openSqliteMetaStore } from './store/sqlite/meta-store';
import { ensurePrivateDir } from './store/sqlite/private-files';
import { openSqliteTelemetryStore } from './store/sqlite/telemetry-store';
import type { TelemetryStore } from './store/telemetry-store';
import { Connector, lazyStore, type StoreLog } from './store/lazy-store';

export interface Stores {
  meta: MetaStore;
  telemetry: TelemetryStore;
  /**
   * Resolves once both stores are connected and migrated; rejects with the reason when one
   * cannot be (the embedded engine is ready at once). The stores retry on their next use.
   */
  ready(): Promise<void>;
  /** Closes both; safe to call twice. */
  close(): Promise<void>;
}

export interface StoreOpeners {
  meta?: (file: string) => MetaStore;
  telemetry?: (file: string) => TelemetryStore;
}

const stderrLog: StoreLog = {
  error: (what, err) => process.stderr.write(`tapscope: ${what}: ${err.message}\n`),
};

/** `postgres://user:pw@db:5432/x` → `PostgreSQL at db:5432/x` (for messages; no credentials). */
export function describeStorageUrl(url: string): string {
  try {
    const u = new URL(url);
    const engine = /^postgres/.test(u.protocol) ? 'PostgreSQL' : 'ClickHouse';
    return `${engine} at ${u.host}${u.pathname}`;
  } catch {
    return 'the configured database';
  }
}

/**
 * Opens the configured stores, never branching on the engine anywhere else: "sqlite" keeps
 * `meta.sqlite` and `telemetry.sqlite` in the data directory; a postgres:// meta URL and a
 * clickhouse:// (or http[s]://) telemetry URL are the scale-out engines, shared by any
 * number of collectors. Those connect on first use (see store/lazy-store.ts): await
 * `ready()` to fail fast, or let the first use wait — a collector may start before its
 * databases do.
 */
export function openStores(config: CollectorConfig, openers: StoreOpeners = {}, log: StoreLog = stderrLog): Stores {
  ensurePrivateDir(config.dataDir);
  const { meta: metaUrl, telemetry: telemetryUrl } = config.storage;
  const connected = async () => {};
  const meta =
    metaUrl === 'sqlite'
      ? { store: (openers.meta ?? openSqliteMetaStore)(join(config.dataDir, 'meta.sqlite')), ready: connected }
      : connecting<MetaStore>(metaUrl, log, (onError) => openPostgresMetaStore(metaUrl, { onError }));
  let telemetry: { store: TelemetryStore; ready: () => Promise<void> };
  try {
    telemetry =
      telemetryUrl === 'sqlite'
        ? { store: (openers.telemetry ?? openSqliteTelemetryStore)(join(config.dataDir, 'telemetry.sqlite')), ready: connected }
        : connecting<TelemetryStore>(
            telemetryUrl,
            log,
            (onError) => openClickHouseTelemetryStore(telemetryUrl, { onError: (message) => onError(new Error(message)) }),
            // Synchronous by contract: nothing is buffered before the store is connected.
            { backlog: () => 0 },
          );
  } catch (err) {
    void meta.store.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    meta: meta.store,
    telemetry: telemetry.store,
    ready: async () => {
      // Both attempts run to the end (each logs its own failure); the first failure is the answer.
      const results = await Promise.allSettled([meta.ready(), telemetry.ready()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    close: () =>
      (closing ??= Promise.allSettled([telemetry.store.close(), meta.store.close()]).then((results) => {
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      })),
  };
}

/** A network engine's store, connected on first use (lazyStore); errors of idle connections are logged, not thrown. */
function connecting<T extends { close(): Promise<void> }>(
  url: string,
  log: StoreLog,
  open: (onError: (err: Error) => void) => Promise<T>,
  whileConnecting: Partial<T> = {},
): { store: T; ready: () => Promise<void> } {
  const what = describeStorageUrl(url);
  const store = lazyStore(new Connector(what, () => open((err) => log.error(what, err)), log), whileConnecting);
  return { store, ready: () => store.ready() };
}

/** openStores, then waits until the stores are connected and migrated (boot fails on a wrong URL or password). */
export async function openStoresReady(config: CollectorConfig, openers?: StoreOpeners, log?: StoreLog): Promise<Stores> {
  const stores = openStores(config, openers, log);
  try {
    await stores.ready();
  } catch (err) {
    await stores.close().catch(() => {});
    throw err;
  }
  return stores;
}
