import { join } from 'node:path';
import type { CollectorConfig } from '../../config';
import { Connector } from '../../stores-lazy';
import { describeStorageUrl, type StoreLog } from '../../stores';
import type { AlertStore } from './alert-store';
import { openPostgresAlertStore } from './postgres-alert-store';
import { openSqliteAlertStore } from './sqlite-alert-store';

/**
 * The alert store next to the meta store: `<dataDir>/alerts.sqlite` with the embedded engine,
 * the alert tables of the PostgreSQL meta database when scaled out (connected on first use,
 * like the meta store, so a collector may start before its database).
 */
export function openAlertStore(config: CollectorConfig, log: StoreLog): AlertStore {
  const url = config.storage.meta;
  if (url === 'sqlite') return openSqliteAlertStore(join(config.dataDir, 'alerts.sqlite'));
  const what = `${describeStorageUrl(url)} (alert tables)`;
  return lazyAlertStore(new Connector(what, () => openPostgresAlertStore(url, { onError: (err) => log.error(what, err) }), log));
}

/** Every method waits for the connection; close() closes it. */
function lazyAlertStore(c: Connector<AlertStore>): AlertStore {
  return new Proxy({} as AlertStore, {
    get: (_target, name: string | symbol) => {
      if (name === 'close') return () => c.close();
      // Not a thenable: `await store` must not call a method.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (...args: unknown[]) => {
        const store = await c.get();
        return (store[name as keyof AlertStore] as (...a: unknown[]) => unknown).apply(store, args);
      };
    },
  });
}
