import { pendingMigrations } from '../migrations';
import { ClickHouse, num, str } from './ch-client';

export interface ChMigration {
  /** 1, 2, 3 … in order; never renumber or edit a shipped migration. */
  version: number;
  name: string;
  /** Statements run one by one; each must be idempotent (IF NOT EXISTS), since two collectors may start at once. */
  statements: string[];
}

/**
 * The telemetry schema for ClickHouse 18.16 and newer: no DateTime64 (times are Float64 /
 * UInt64 epoch ms), no TTL (retention drops day partitions), the
 * `MergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY …` syntax both old and new accept.
 * `day` is the UTC day of the row's time, computed by the writer. A view's aggregate columns
 * never take the name of a source column another expression reads (18.16 would resolve the
 * alias there and nest aggregates), hence `latest`, `tx_count_sum`, ….
 *
 * - tx: one row per transaction, steps as a JSON string (a profile is read whole). Ordered by
 *   (pcode, end_ms, txid) for the hitmap, the list and the writer's duplicate check; a
 *   ReplacingMergeTree, so a duplicate that slipped past that check disappears at the next merge.
 * - tx_id (by txid, for profile look-ups) and tx_hit (by insertion stamp, for the hitmap's
 *   incremental polls) are filled from tx by materialized views: one insert writes all three.
 * - rollup_1m: per-minute statistics, an AggregatingMergeTree fed through the Null table
 *   rollup_in (the writer computes each flush's additions in the process, from new rows only).
 *   Latency histograms merge with sumForEach, so percentiles come from the roll-up.
 * - tx.trace_id, span_id, parent_span_id: W3C trace context ('' when not sent); tx_trace (by
 *   trace id, filled by a view) finds a trace's transactions in every project.
 * - counter: raw 5-second samples; counter_1m (per-minute sums, distinct slots counted with
 *   uniqExact) and agent_latest (each agent's newest sample time) are derived by views.
 */
export const chMigrations: readonly ChMigration[] = [
  {
    version: 1,
    name: 'telemetry tables',
    statements: [
      `CREATE TABLE IF NOT EXISTS tx (
        day Date, pcode String, txid String, agent_id UInt64, object_name String,
        start_ms Float64, end_ms Float64, elapsed Float64, err UInt8, url String, method String, status UInt16,
        error_class Nullable(String), error_message Nullable(String), error_stack Nullable(String),
        client_ip String, user_agent String, cpu Float64, sql_count UInt32, sql_time Float64,
        httpc_count UInt32, httpc_time Float64, params Nullable(String), steps String, stamp Float64
      ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (pcode, end_ms, txid)`,
      `CREATE TABLE IF NOT EXISTS tx_id (day Date, pcode String, txid String, end_ms Float64)
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (pcode, txid)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS tx_id_mv TO tx_id AS SELECT day, pcode, txid, end_ms FROM tx`,
      `CREATE TABLE IF NOT EXISTS tx_hit (
        day Date, pcode String, stamp Float64, end_ms Float64, elapsed Float64, agent_id UInt64, err UInt8, url String
      ) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (pcode, stamp)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS tx_hit_mv TO tx_hit AS
        SELECT day, pcode, stamp, end_ms, elapsed, agent_id, err, url FROM tx`,

      `CREATE TABLE IF NOT EXISTS rollup_in (
        day Date, pcode String, kind UInt8, minute UInt64, agent_id UInt64, key String,
        count UInt64, errors UInt64, sum Float64, min Float64, max Float64, sql_time Float64, httpc_time Float64,
        hist Array(UInt32), message String, url String, last_seen Float64, example_txid String
      ) ENGINE = Null`,
      `CREATE TABLE IF NOT EXISTS rollup_1m (
        day Date, pcode String, kind UInt8, minute UInt64, agent_id UInt64, key String,
        count AggregateFunction(sum, UInt64), errors AggregateFunction(sum, UInt64),
        sum AggregateFunction(sum, Float64), min AggregateFunction(min, Float64), max AggregateFunction(max, Float64),
        sql_time AggregateFunction(sum, Float64), httpc_time AggregateFunction(sum, Float64),
        hist AggregateFunction(sumForEach, Array(UInt32)),
        message AggregateFunction(argMax, String, Float64), url AggregateFunction(argMax, String, Float64),
        example_txid AggregateFunction(argMax, String, Float64), latest AggregateFunction(max, Float64)
      ) ENGINE = AggregatingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (pcode, kind, minute, agent_id, key)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_1m_mv TO rollup_1m AS
        SELECT day, pcode, kind, minute, agent_id, key,
          sumState(count) AS count, sumState(errors) AS errors, sumState(sum) AS sum, minState(min) AS min, maxState(max) AS max,
          sumState(sql_time) AS sql_time, sumState(httpc_time) AS httpc_time, sumForEachState(hist) AS hist,
          argMaxState(message, last_seen) AS message, argMaxState(url, last_seen) AS url,
          argMaxState(example_txid, last_seen) AS example_txid, maxState(last_seen) AS latest
        FROM rollup_in GROUP BY day, pcode, kind, minute, agent_id, key`,

      `CREATE TABLE IF NOT EXISTS counter (
        day Date, pcode String, time UInt64, agent_id UInt64, pid UInt64,
        tps Float64, tx_count Float64, tx_error Float64, resp_time Float64,
        active0 Float64, active1 Float64, active2 Float64, cpu Float64, mem Float64,
        apdex Float64, has_apdex UInt8, dropped Float64
      ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (pcode, time, agent_id, pid)`,
      `CREATE TABLE IF NOT EXISTS counter_1m (
        day Date, pcode String, minute UInt64, agent_id UInt64,
        slots AggregateFunction(uniqExact, UInt64),
        tps_sum AggregateFunction(sum, Float64), tx_count_sum AggregateFunction(sum, Float64),
        tx_error_sum AggregateFunction(sum, Float64), resp_sum AggregateFunction(sum, Float64),
        active0_sum AggregateFunction(sum, Float64), active1_sum AggregateFunction(sum, Float64),
        active2_sum AggregateFunction(sum, Float64), cpu_sum AggregateFunction(sum, Float64),
        mem_sum AggregateFunction(sum, Float64), apdex_sum AggregateFunction(sum, Float64),
        apdex_weight AggregateFunction(sum, Float64), dropped_sum AggregateFunction(sum, Float64)
      ) ENGINE = AggregatingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (pcode, minute, agent_id)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS counter_1m_mv TO counter_1m AS
        SELECT day, pcode, intDiv(time, 60000) * 60000 AS minute, agent_id,
          uniqExactState(time) AS slots, sumState(tps) AS tps_sum, sumState(tx_count) AS tx_count_sum,
          sumState(tx_error) AS tx_error_sum, sumState(resp_time * tx_count) AS resp_sum,
          sumState(active0) AS active0_sum, sumState(active1) AS active1_sum, sumState(active2) AS active2_sum,
          sumState(cpu) AS cpu_sum, sumState(mem) AS mem_sum,
          sumState(if(has_apdex = 1 AND tx_count > 0, apdex * tx_count, 0)) AS apdex_sum,
          sumState(if(has_apdex = 1 AND tx_count > 0, tx_count, 0)) AS apdex_weight,
          sumState(dropped) AS dropped_sum
        FROM counter GROUP BY day, pcode, minute, agent_id`,
      `CREATE TABLE IF NOT EXISTS agent_latest (day Date, pcode String, agent_id UInt64, latest AggregateFunction(max, UInt64))
        ENGINE = AggregatingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (pcode, agent_id)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS agent_latest_mv TO agent_latest AS
        SELECT day, pcode, agent_id, maxState(time) AS latest FROM counter GROUP BY day, pcode, agent_id`,
    ],
  },
  {
    // The error label is decided at ingest and stored in error_class (src/api/wire.ts errorLabel);
    // rows stored before carry it only for an exception. A mutation (ALTER … UPDATE, 18.12 and
    // newer) is idempotent by its WHERE and runs in the background.
    version: 2,
    name: 'stored error labels',
    statements: [
      `ALTER TABLE tx UPDATE error_class = CAST(concat('HTTP ', toString(status)) AS Nullable(String))
        WHERE err = 1 AND isNull(error_class)`,
    ],
  },
  {
    // Empty strings, not Nullable: cheaper to store and to compare. 18.16 has no ADD COLUMN IF
    // NOT EXISTS: a column another collector added first is an error migrateClickHouse passes over.
    version: 3,
    name: 'trace context of transactions',
    statements: [
      `ALTER TABLE tx ADD COLUMN trace_id String DEFAULT ''`,
      `ALTER TABLE tx ADD COLUMN span_id String DEFAULT ''`,
      `ALTER TABLE tx ADD COLUMN parent_span_id String DEFAULT ''`,
      `CREATE TABLE IF NOT EXISTS tx_trace (day Date, trace_id String, pcode String, txid String, end_ms Float64)
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (trace_id, pcode, txid)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS tx_trace_mv TO tx_trace AS
        SELECT day, trace_id, pcode, txid, end_ms FROM tx WHERE trace_id != ''`,
    ],
  },
];

/** Tables whose day partitions follow the raw retention, and those that follow the roll-up retention. */
export const RAW_TABLES = ['tx', 'tx_id', 'tx_hit', 'tx_trace', 'counter', 'agent_latest'] as const;
export const ROLLUP_TABLES = ['rollup_1m', 'counter_1m'] as const;

/** ClickHouse's "table already exists" (a concurrent collector created it first). */
const TABLE_EXISTS = '57';
/** What ClickHouse answers to ADD COLUMN of a column that exists: ILLEGAL_COLUMN (18.16), DUPLICATE_COLUMN (later). */
const COLUMN_EXISTS: ReadonlySet<string> = new Set(['44', '15']);
const ADD_COLUMN = /^ALTER TABLE \w+ ADD COLUMN /;

/** Whether a migration statement failed only because another collector ran it first. */
function alreadyApplied(sql: string, err: unknown): boolean {
  // The client parses the code out of newer servers' messages only; 18.16 says "Code: 44, e.displayText() = …".
  const e = err as { code?: string; message?: string };
  const code = e.code ?? /^Code: (\d+),/.exec(e.message ?? '')?.[1] ?? '';
  return code === TABLE_EXISTS || (ADD_COLUMN.test(sql) && COLUMN_EXISTS.has(code));
}

/**
 * Creates the database if needed and applies pending migrations, recording each in
 * `schema_migrations`. Refuses a database written by a newer Tapscope.
 */
export async function migrateClickHouse(ch: ClickHouse, migrations: readonly ChMigration[] = chMigrations): Promise<void> {
  const admin = new ClickHouse(ch.target, 'default');
  try {
    await admin.exec(`CREATE DATABASE IF NOT EXISTS ${ch.target.database}`);
  } finally {
    await admin.close();
  }
  await ch.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at UInt64) ENGINE = MergeTree() ORDER BY version',
  );
  const [row] = await ch.rows<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
  for (const m of pendingMigrations(migrations, row?.v ?? 0, `ClickHouse database ${ch.target.database}`)) {
    for (const sql of m.statements) {
      try {
        await ch.exec(sql);
      } catch (err) {
        if (!alreadyApplied(sql, err)) throw err;
      }
    }
    await ch.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${num(m.version)}, ${str(m.name)}, ${num(Date.now())})`);
  }
}
