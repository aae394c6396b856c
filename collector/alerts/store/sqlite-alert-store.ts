import type { SqlMigration } from '../../store/migrations';
import { openDatabase } from '../../store/sqlite/db';
import type { AlertStore } from './alert-store';
import { SqlAlertStore } from './sql-alert-store';
import { sqliteRunner } from './sqlite-runner';

/** The alert tables in their own file, `<dataDir>/alerts.sqlite` (columns as in the PostgreSQL migration). */
export const sqliteAlertMigrations: SqlMigration[] = [
  {
    version: 1,
    name: 'alert tables',
    sql: `
  CREATE TABLE alert_rule (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcode TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    settings TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX alert_rule_pcode ON alert_rule (pcode);

  CREATE TABLE alert_state (
    rule_id INTEGER NOT NULL,
    scope_key TEXT NOT NULL,
    state TEXT NOT NULL,
    since INTEGER NOT NULL,
    value REAL,
    evaluated_at INTEGER NOT NULL,
    incident_id INTEGER,
    next_notify_at INTEGER,
    notified INTEGER NOT NULL,
    PRIMARY KEY (rule_id, scope_key)
  );

  CREATE TABLE alert_incident (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcode TEXT NOT NULL,
    rule_id INTEGER NOT NULL,
    rule_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    scope_key TEXT NOT NULL,
    scope_label TEXT NOT NULL,
    open_key TEXT UNIQUE,
    started_at INTEGER NOT NULL,
    resolved_at INTEGER,
    peak_value REAL NOT NULL,
    last_value REAL NOT NULL,
    threshold REAL NOT NULL,
    unit TEXT NOT NULL,
    rule_snapshot TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at INTEGER
  );
  CREATE INDEX alert_incident_pcode ON alert_incident (pcode, started_at);

  CREATE TABLE alert_channel (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcode TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    config TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE INDEX alert_channel_pcode ON alert_channel (pcode);

  CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcode TEXT NOT NULL,
    incident_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    seq INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    done INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_until INTEGER,
    UNIQUE (incident_id, channel_id, event, seq)
  );
  CREATE INDEX alert_outbox_due ON alert_outbox (done, next_attempt_at);

  CREATE TABLE alert_delivery (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcode TEXT NOT NULL,
    channel_id INTEGER NOT NULL,
    incident_id INTEGER,
    event TEXT NOT NULL,
    status TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    latency_ms REAL,
    error TEXT,
    at INTEGER NOT NULL
  );
  CREATE INDEX alert_delivery_channel ON alert_delivery (channel_id, id);
  CREATE INDEX alert_delivery_incident ON alert_delivery (incident_id, id);

  CREATE TABLE alert_silence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcode TEXT NOT NULL,
    rule_id INTEGER,
    until INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX alert_silence_until ON alert_silence (until);

  CREATE TABLE alert_lease (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE alert_cycle (
    id INTEGER PRIMARY KEY,
    evaluated_at INTEGER NOT NULL
  );
  `,
  },
];

/** Opens (creating and migrating) the SQLite alert store. */
export function openSqliteAlertStore(file: string): AlertStore {
  const db = openDatabase(file, {
    synchronous: 'NORMAL',
    migrations: sqliteAlertMigrations,
  });
  return new SqlAlertStore(sqliteRunner(db));
}
