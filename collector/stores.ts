import { join } from 'node:path';
import type { CollectorConfig } from './config';
import { openClickHouseTelemetryStore } from './store/clickhouse/telemetry-store';
import type { MetaStore } from './store/meta-store';
import { openPostgresMetaStore } from './store/postgres/meta-store';
import { openSqliteMetaStore } from './store/sqlite/meta-store';
import { ensurePrivateDir } from './store/sqlite/private-files';
import { openSqliteTelemetryStore } from './store/sqlite/telemetry-store';
import type { TelemetryStore } from './store/telemetry-store';
import { lazyMetaStore, lazyTelemetryStore } from './stores-lazy';

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

export interface StoreLog {
  /** A store could not connect or migrate; `what` names the engine and host, never a password. */
  error(what: string, err: Error): void;
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
 * number of collectors. Those connect in the background (see lazyMetaStore): await
 * `ready()` to fail fast, or let the first use wait — a collector may start before its
 * databases do.
 */
export function openStores(config: CollectorConfig, openers: StoreOpeners = {}, log: StoreLog = stderrLog): Stores {
  ensurePrivateDir(config.dataDir);
  const { meta: metaUrl, telemetry: telemetryUrl } = config.storage;
  const meta =
    metaUrl === 'sqlite'
      ? (openers.meta ?? openSqliteMetaStore)(join(config.dataDir, 'meta.sqlite'))
      : lazyMetaStore(
          describeStorageUrl(metaUrl),
          // Errors of idle pooled connections (a database restart) are reported, not thrown.
          () => openPostgresMetaStore(metaUrl, { onError: (err) => log.error(describeStorageUrl(metaUrl), err) }),
          log,
        );
  let telemetry: TelemetryStore;
  try {
    telemetry =
      telemetryUrl === 'sqlite'
        ? (openers.telemetry ?? openSqliteTelemetryStore)(join(config.dataDir, 'telemetry.sqlite'))
        : lazyTelemetryStore(
            describeStorageUrl(telemetryUrl),
            () =>
              openClickHouseTelemetryStore(telemetryUrl, {
                onError: (message) => log.error(describeStorageUrl(telemetryUrl), new Error(message)),
              }),
            log,
          );
  } catch (err) {
    void meta.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  const readyOf = (s: object) => (s as { ready?: () => Promise<void> }).ready?.() ?? Promise.resolve();
  return {
    meta,
    telemetry,
    ready: async () => {
      // Both attempts run to the end (each logs its own failure); the first failure is the answer.
      const results = await Promise.allSettled([readyOf(meta), readyOf(telemetry)]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    close: () =>
      (closing ??= Promise.allSettled([telemetry.close(), meta.close()]).then((results) => {
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      })),
  };
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
