import type { SqlMigration } from '../../store/migrations';
import { pendingMigrations } from '../../store/migrations';
import { createPgPool, inTransaction, type PgPool } from '../../store/postgres/pool';
import type { AlertStore } from './alert-store';
import { pgRunner } from './pg-runner';
import { SqlAlertStore } from './sql-alert-store';

/**
 * The alert tables in the PostgreSQL meta database, versioned in their own table
 * (`alert_schema_migrations`) so they never collide with the meta store's migrations.
 */
export const postgresAlertMigrations: SqlMigration[] = [
  {
    version: 1,
    name: 'alert tables',
    sql: `
  CREATE TABLE alert_rule (
    id BIGSERIAL PRIMARY KEY,
    pcode TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    settings TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX alert_rule_pcode ON alert_rule (pcode);

  CREATE TABLE alert_state (
    rule_id BIGINT NOT NULL,
    scope_key TEXT NOT NULL,
    state TEXT NOT NULL,
    since BIGINT NOT NULL,
    value DOUBLE PRECISION,
    evaluated_at BIGINT NOT NULL,
    incident_id BIGINT,
    next_notify_at BIGINT,
    notified INTEGER NOT NULL,
    PRIMARY KEY (rule_id, scope_key)
  );

  CREATE TABLE alert_incident (
    id BIGSERIAL PRIMARY KEY,
    pcode TEXT NOT NULL,
    rule_id BIGINT NOT NULL,
    rule_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    scope_key TEXT NOT NULL,
    scope_label TEXT NOT NULL,
    open_key TEXT UNIQUE,
    started_at BIGINT NOT NULL,
    resolved_at BIGINT,
    peak_value DOUBLE PRECISION NOT NULL,
    last_value DOUBLE PRECISION NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    rule_snapshot TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at BIGINT
  );
  CREATE INDEX alert_incident_pcode ON alert_incident (pcode, started_at);

  CREATE TABLE alert_channel (
    id BIGSERIAL PRIMARY KEY,
    pcode TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    config TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE INDEX alert_channel_pcode ON alert_channel (pcode);

  CREATE TABLE alert_outbox (
    id BIGSERIAL PRIMARY KEY,
    pcode TEXT NOT NULL,
    incident_id BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    event TEXT NOT NULL,
    seq INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    done INTEGER NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    UNIQUE (incident_id, channel_id, event, seq)
  );
  CREATE INDEX alert_outbox_due ON alert_outbox (done, next_attempt_at);

  CREATE TABLE alert_delivery (
    id BIGSERIAL PRIMARY KEY,
    pcode TEXT NOT NULL,
    channel_id BIGINT NOT NULL,
    incident_id BIGINT,
    event TEXT NOT NULL,
    status TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    latency_ms DOUBLE PRECISION,
    error TEXT,
    at BIGINT NOT NULL
  );
  CREATE INDEX alert_delivery_channel ON alert_delivery (channel_id, id);
  CREATE INDEX alert_delivery_incident ON alert_delivery (incident_id, id);

  CREATE TABLE alert_silence (
    id BIGSERIAL PRIMARY KEY,
    pcode TEXT NOT NULL,
    rule_id BIGINT,
    until BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX alert_silence_until ON alert_silence (until);

  CREATE TABLE alert_lease (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  CREATE TABLE alert_cycle (
    id INTEGER PRIMARY KEY,
    evaluated_at BIGINT NOT NULL
  );
  `,
  },
];

/** Any constant, other than the meta store's: serializes the alert migrations across collectors. */
const ALERT_MIGRATION_LOCK = 7_366_170_014;

async function migrateAlerts(pool: PgPool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [ALERT_MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS alert_schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM alert_schema_migrations');
    for (const m of pendingMigrations(postgresAlertMigrations, rows[0]?.v ?? 0, 'the PostgreSQL alert tables')) {
      await client.query(m.sql);
      await client.query('INSERT INTO alert_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
  });
}

/** Connects to `postgres://…` (the meta database) and migrates the alert tables. */
export async function openPostgresAlertStore(url: string, opts: { onError?: (err: Error) => void } = {}): Promise<AlertStore> {
  const pool = createPgPool(url, { max: 4, onError: opts.onError });
  try {
    await migrateAlerts(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  return new SqlAlertStore(pgRunner(pool));
}
