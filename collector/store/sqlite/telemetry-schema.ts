import { addHistogramBlobs } from '../rollup-histogram';
import type { SqlMigration } from '../migrations';
import { openDatabase, type SqliteDatabase } from './db';
import { registerRollupAggregates } from './telemetry-levels';

/** A roll-up table: pcode, kind, its time/agent key columns and key, then the measures every roll-up keeps. */
function rollupTable(name: string, keyColumns: string[]): string {
  const columns = [
    'pcode TEXT NOT NULL',
    'kind INTEGER NOT NULL',
    ...keyColumns.map((c) => `${c} INTEGER NOT NULL`),
    'key TEXT NOT NULL',
    'count INTEGER NOT NULL',
    'errors INTEGER NOT NULL',
    'sum REAL NOT NULL',
    'min REAL NOT NULL',
    'max REAL NOT NULL',
    'sql_time REAL NOT NULL',
    'httpc_time REAL NOT NULL',
    'hist BLOB NOT NULL',
    'message TEXT',
    'url TEXT',
    'last_seen REAL',
    'example_txid TEXT',
  ];
  return `CREATE TABLE ${name} (\n    ${columns.join(',\n    ')},\n    PRIMARY KEY (pcode, kind, ${keyColumns.join(', ')}, key)\n  ) WITHOUT ROWID;`;
}

/**
 * Telemetry tables (`<dataDir>/telemetry.sqlite`), migrated like the meta database.
 *
 * - tx: one row per transaction, steps as one JSON column (a profile is read whole).
 *   `id` is the row position the hitmap cursor and the txid map refer to; AUTOINCREMENT so
 *   that ids are never reused after deletes.
 *   tx_key de-duplicates resends: a resent transaction carries the same end time and txid.
 *   Both indexes lead with the end time, so inserts append to them instead of dirtying
 *   random pages (a unique index on the random txid alone halves ingest throughput);
 *   look-ups by txid go through the txid map (telemetry-txid-index.ts).
 *   tx_end covers the hitmap and the drag-select count without touching the table.
 * - counter: raw 5-second samples, one per (agent, pid, slot); counter_1m: per-minute sums.
 * - rollup_1m: per-minute statistics per (kind, key, agent) with a latency histogram.
 * - tx_project: the projects that have telemetry, so retention can walk primary-key ranges.
 * - rollup_1h, rollup_1d: the minute roll-ups of every agent summed per hour and per UTC day
 *   (no agent dimension), and counter_10m: counter_1m per 10 minutes and agent. Long ranges
 *   read them (telemetry-levels.ts); the writer thread fills them from the minute tables
 *   (telemetry-compactor.ts). `period` is the first ms of the hour, day or 10 minutes.
 * - tx.error_class is the error label decided at ingest (the exception's class, or `HTTP <status>`);
 *   `err` is 1 exactly when it is set.
 * - rollup_1h_agent, rollup_1d_agent: the same per agent, for statistics filtered by agent.
 * - tx.trace_id, span_id, parent_span_id: W3C trace context (docs/protocol.md), null when the agent
 *   sent none. Trace look-ups go through the map kept beside the txid map (telemetry-txid-index.ts),
 *   not an index here: a random trace id would dirty a random index page per insert.
 * - rollup_compaction: per project, how far the minute rows have been folded into those
 *   tables (`done_to`) and since when they are whole (`complete_from`, moved by retention).
 */
export const telemetryMigrations: SqlMigration[] = [
  {
    version: 1,
    name: 'telemetry tables',
    sql: `
  CREATE TABLE tx (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcode TEXT NOT NULL,
    txid TEXT NOT NULL,
    agent_id INTEGER NOT NULL,
    object_name TEXT NOT NULL,
    start_ms REAL NOT NULL,
    end_ms REAL NOT NULL,
    elapsed REAL NOT NULL,
    err INTEGER NOT NULL,
    url TEXT NOT NULL,
    method TEXT NOT NULL,
    status INTEGER NOT NULL,
    error_class TEXT,
    error_message TEXT,
    error_stack TEXT,
    client_ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    cpu REAL NOT NULL,
    sql_count INTEGER NOT NULL,
    sql_time REAL NOT NULL,
    httpc_count INTEGER NOT NULL,
    httpc_time REAL NOT NULL,
    params TEXT,
    steps TEXT NOT NULL
  );
  CREATE UNIQUE INDEX tx_key ON tx (pcode, end_ms, txid);
  CREATE INDEX tx_end ON tx (pcode, end_ms, elapsed, err, agent_id);

  CREATE TABLE counter (
    pcode TEXT NOT NULL,
    time INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    tps REAL NOT NULL,
    tx_count REAL NOT NULL,
    tx_error REAL NOT NULL,
    resp_time REAL NOT NULL,
    active0 REAL NOT NULL,
    active1 REAL NOT NULL,
    active2 REAL NOT NULL,
    cpu REAL NOT NULL,
    mem REAL NOT NULL,
    apdex REAL,
    dropped REAL NOT NULL,
    PRIMARY KEY (pcode, time, agent_id, pid)
  ) WITHOUT ROWID;

  CREATE TABLE counter_1m (
    pcode TEXT NOT NULL,
    minute INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    slots INTEGER NOT NULL,
    tps_sum REAL NOT NULL,
    tx_count REAL NOT NULL,
    tx_error REAL NOT NULL,
    resp_sum REAL NOT NULL,
    active0_sum REAL NOT NULL,
    active1_sum REAL NOT NULL,
    active2_sum REAL NOT NULL,
    cpu_sum REAL NOT NULL,
    mem_sum REAL NOT NULL,
    apdex_sum REAL NOT NULL,
    apdex_weight REAL NOT NULL,
    dropped REAL NOT NULL,
    PRIMARY KEY (pcode, minute, agent_id)
  ) WITHOUT ROWID;

  ${rollupTable('rollup_1m', ['minute', 'agent_id'])}

  CREATE TABLE tx_project (pcode TEXT PRIMARY KEY) WITHOUT ROWID;
  `,
  },
  {
    version: 2,
    name: 'hourly and daily roll-ups',
    sql: `
  ${rollupTable('rollup_1h', ['period'])}

  ${rollupTable('rollup_1d', ['period'])}

  CREATE TABLE counter_10m (
    pcode TEXT NOT NULL,
    period INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    slots INTEGER NOT NULL,
    tps_sum REAL NOT NULL,
    tx_count REAL NOT NULL,
    tx_error REAL NOT NULL,
    resp_sum REAL NOT NULL,
    active0_sum REAL NOT NULL,
    active1_sum REAL NOT NULL,
    active2_sum REAL NOT NULL,
    cpu_sum REAL NOT NULL,
    mem_sum REAL NOT NULL,
    apdex_sum REAL NOT NULL,
    apdex_weight REAL NOT NULL,
    dropped REAL NOT NULL,
    PRIMARY KEY (pcode, period, agent_id)
  ) WITHOUT ROWID;

  CREATE TABLE rollup_compaction (
    pcode TEXT PRIMARY KEY,
    done_to INTEGER NOT NULL,
    complete_from INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  },
  {
    // The error label is decided at ingest and stored in error_class (src/api/wire.ts
    // errorLabel); rows stored before carry it only for an exception. Data only, no DDL.
    version: 3,
    name: 'stored error labels',
    sql: `UPDATE tx SET error_class = 'HTTP ' || status WHERE err = 1 AND error_class IS NULL;`,
  },
  {
    // Statistics of one agent over long ranges read these instead of every minute row. The
    // coarse tables are emptied with the coverage, so the compactor folds every minute into
    // all of them afresh (queries read minute rows meanwhile: exact, slower).
    version: 4,
    name: 'hourly and daily roll-ups per agent',
    sql: `
  ${rollupTable('rollup_1h_agent', ['agent_id', 'period'])}

  ${rollupTable('rollup_1d_agent', ['agent_id', 'period'])}

  DELETE FROM rollup_1h;
  DELETE FROM rollup_1d;
  DELETE FROM counter_10m;
  DELETE FROM rollup_compaction;
  `,
  },
  {
    version: 5,
    name: 'trace context of transactions',
    sql: `
  ALTER TABLE tx ADD COLUMN trace_id TEXT;
  ALTER TABLE tx ADD COLUMN span_id TEXT;
  ALTER TABLE tx ADD COLUMN parent_span_id TEXT;
  `,
  },
];

/**
 * Opens the telemetry database and runs pending migrations.
 * WAL + synchronous=NORMAL: a committed transaction survives a crash of the collector
 * process (the WAL is in the OS page cache); `fullSync` (synchronous=FULL) also survives
 * power loss, at the cost of an fsync per commit.
 */
export function openTelemetryDb(file: string, opts: { fullSync?: boolean } = {}): SqliteDatabase {
  const db = openDatabase(file, { synchronous: opts.fullSync ? 'FULL' : 'NORMAL', migrations: telemetryMigrations });
  db.pragma('cache_size = -65536');
  // The background thread checkpoints (telemetry-index-worker.mjs); this is only the safety net.
  db.pragma('wal_autocheckpoint = 20000');
  db.pragma('temp_store = MEMORY');
  db.function('hist_add', { deterministic: true }, (a: unknown, b: unknown) =>
    addHistogramBlobs(a instanceof Uint8Array ? a : null, b instanceof Uint8Array ? b : null),
  );
  registerRollupAggregates(db);
  return db;
}
