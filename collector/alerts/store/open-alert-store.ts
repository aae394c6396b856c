import { join } from 'node:path';
import type { CollectorConfig } from '../../config';
import { Connector, lazyStore, type StoreLog } from '../../store/lazy-store';
import { describeStorageUrl } from '../../stores';
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
  return lazyStore(new Connector(what, () => openPostgresAlertStore(url, { onError: (err) => log.error(what, err) }), log));
}
