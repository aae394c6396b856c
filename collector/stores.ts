import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectorConfig } from './config';
import type { MetaStore } from './store/meta-store';
import { openSqliteMetaStore } from './store/sqlite/meta-store';
import { openSqliteTelemetryStore } from './store/sqlite/telemetry-store';
import type { TelemetryStore } from './store/telemetry-store';

export interface Stores {
  meta: MetaStore;
  telemetry: TelemetryStore;
  /** Closes both; safe to call twice. */
  close(): Promise<void>;
}

export interface StoreOpeners {
  meta?: (file: string) => MetaStore;
  telemetry?: (file: string) => TelemetryStore;
}

/**
 * Opens the configured stores. The embedded engine keeps `meta.sqlite` and
 * `telemetry.sqlite` in the data directory. (config.storage only admits "sqlite" in this
 * build; other engines plug in here, never inside the queries.)
 */
export function openStores(config: CollectorConfig, openers: StoreOpeners = {}): Stores {
  mkdirSync(config.dataDir, { recursive: true });
  const meta = (openers.meta ?? openSqliteMetaStore)(join(config.dataDir, 'meta.sqlite'));
  let telemetry: TelemetryStore;
  try {
    telemetry = (openers.telemetry ?? openSqliteTelemetryStore)(join(config.dataDir, 'telemetry.sqlite'));
  } catch (err) {
    void meta.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    meta,
    telemetry,
    close: () =>
      (closing ??= Promise.allSettled([telemetry.close(), meta.close()]).then((results) => {
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      })),
  };
}
