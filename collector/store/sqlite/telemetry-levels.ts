import { isLaterOccurrence, MINUTE } from '../rollup-accumulator';
import { addBlobToHistogram, histogramToBlob, newHistogram } from '../rollup-histogram';
import type { SqliteDatabase } from './db';

/**
 * The roll-up levels of the SQLite store and how a queried range is split over them.
 *
 * Minute tables (rollup_1m, counter_1m) are written with every commit. The coarse tables are
 * the minute rows folded by period: statistics per hour and per UTC day over all agents
 * (rollup_1h, rollup_1d), counters per 10 minutes and agent (counter_10m). A project's
 * coverage says which periods of the coarse tables are whole (the same periods per agent in
 * rollup_1h_agent and rollup_1d_agent), so that a range read from
 * coarse periods plus minute rows at its edges sums exactly the minute rows of the range.
 */

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const TEN_MINUTES = 600_000;

/** A table of roll-ups, the column holding its period start, and the period's width. */
export interface Level {
  table: string;
  column: string;
  width: number;
}

export const STAT_MINUTES: Level = { table: 'rollup_1m', column: 'minute', width: MINUTE };
/** The coarse statistics levels, coarsest first. They have no agent dimension. */
export const STAT_LEVELS: readonly Level[] = [
  { table: 'rollup_1d', column: 'period', width: DAY },
  { table: 'rollup_1h', column: 'period', width: HOUR },
];
/** The coarse statistics levels per agent (rows also keyed by agent_id), coarsest first. */
export const STAT_AGENT_LEVELS: readonly Level[] = [
  { table: 'rollup_1d_agent', column: 'period', width: DAY },
  { table: 'rollup_1h_agent', column: 'period', width: HOUR },
];
export const COUNTER_MINUTES: Level = { table: 'counter_1m', column: 'minute', width: MINUTE };
export const COUNTER_LEVELS: readonly Level[] = [{ table: 'counter_10m', column: 'period', width: TEN_MINUTES }];

/**
 * Which coarse periods of a project are whole: every minute row before `doneTo` is folded into
 * them (later writes to those minutes are added to both), and periods starting before
 * `completeFrom` may have lost minutes to retention.
 */
export interface Coverage {
  doneTo: number;
  completeFrom: number;
}

export const NO_COVERAGE: Coverage = { doneTo: 0, completeFrom: 0 };

/** The coverage as stored (rollup_compaction); none when the project was never compacted. */
export function readCoverage(db: SqliteDatabase, pcode: string): Coverage {
  const row = db.prepare('SELECT done_to AS doneTo, complete_from AS completeFrom FROM rollup_compaction WHERE pcode = ?').get(pcode) as
    | Coverage
    | undefined;
  return row ?? NO_COVERAGE;
}

/** A slice [from, to) of a range, read from one level. */
export interface Segment {
  level: Level;
  from: number;
  to: number;
}

const floorTo = (t: number, w: number) => Math.floor(t / w) * w;
const ceilTo = (t: number, w: number) => Math.ceil(t / w) * w;

/**
 * Splits the minute-aligned range [from, to) into the coarsest whole periods the coverage
 * allows and minute slices at the edges. A coarse period is used only if it lies inside the
 * range, starts at or after `completeFrom` and ends at or before `doneTo`; everything else
 * is read from the minute table. Adjacent minute slices are joined.
 */
export function planRange(from: number, to: number, coverage: Coverage, levels: readonly Level[], minutes: Level): Segment[] {
  const out: Segment[] = [];
  const push = (level: Level, a: number, b: number) => {
    if (a >= b) return;
    const last = out.at(-1);
    if (last && last.level === level && last.to === a) last.to = b;
    else out.push({ level, from: a, to: b });
  };
  const cover = (a: number, b: number, i: number): void => {
    if (a >= b) return;
    const level = levels[i];
    if (!level) return push(minutes, a, b);
    const s = ceilTo(a, level.width);
    const e = floorTo(b, level.width);
    if (s >= e) return cover(a, b, i + 1);
    cover(a, s, i + 1);
    push(level, s, e);
    cover(e, b, i + 1);
  };
  const lo = Math.max(from, coverage.completeFrom);
  const hi = Math.min(to, coverage.doneTo);
  if (lo >= hi) {
    push(minutes, from, to);
    return out;
  }
  push(minutes, from, lo);
  cover(lo, hi, 0);
  push(minutes, hi, to);
  return out;
}

/**
 * In an upsert into a statistics table: whether the incoming example (`excluded`) is later
 * than the stored one, by the rule of isLaterOccurrence.
 */
const EXCLUDED_IS_LATER = `(excluded.last_seen IS NOT NULL AND (last_seen IS NULL OR excluded.last_seen > last_seen
  OR (excluded.last_seen = last_seen AND excluded.example_txid > coalesce(example_txid, ''))))`;

/** The ON CONFLICT assignments that add a row into a statistics table (minute or coarse). */
export const STAT_UPSERT_SET = `
  count = count + excluded.count,
  errors = errors + excluded.errors,
  sum = sum + excluded.sum,
  min = min(min, excluded.min),
  max = max(max, excluded.max),
  sql_time = sql_time + excluded.sql_time,
  httpc_time = httpc_time + excluded.httpc_time,
  hist = hist_add(hist, excluded.hist),
  message = CASE WHEN ${EXCLUDED_IS_LATER} THEN excluded.message ELSE message END,
  url = CASE WHEN ${EXCLUDED_IS_LATER} THEN excluded.url ELSE url END,
  example_txid = CASE WHEN ${EXCLUDED_IS_LATER} THEN excluded.example_txid ELSE example_txid END,
  last_seen = CASE WHEN ${EXCLUDED_IS_LATER} THEN excluded.last_seen ELSE last_seen END`;

/**
 * The aggregate columns that merge statistics rows (of any level) in a GROUP BY. The latest
 * example is only tracked for errors; other kinds leave it null.
 */
export function statAggregates(errors: boolean): string {
  const latest = errors
    ? `max(last_seen) AS last_seen, latest(last_seen, example_txid, message) AS message,
       latest(last_seen, example_txid, url) AS url, latest(last_seen, example_txid, example_txid) AS example_txid`
    : 'NULL AS last_seen, NULL AS message, NULL AS url, NULL AS example_txid';
  return `sum(count) AS count, sum(errors) AS errors, sum(sum) AS sum, min(min) AS min, max(max) AS max,
    sum(sql_time) AS sql_time, sum(httpc_time) AS httpc_time, hist_sum(hist) AS hist, ${latest}`;
}

/** The counter_1m / counter_10m value columns, summed. */
export const COUNTER_SUMS = `sum(slots) AS slots, sum(tps_sum) AS tps_sum, sum(tx_count) AS tx_count, sum(tx_error) AS tx_error,
  sum(resp_sum) AS resp_sum, sum(active0_sum) AS active0_sum, sum(active1_sum) AS active1_sum,
  sum(active2_sum) AS active2_sum, sum(cpu_sum) AS cpu_sum, sum(mem_sum) AS mem_sum, sum(apdex_sum) AS apdex_sum,
  sum(apdex_weight) AS apdex_weight, sum(dropped) AS dropped`;

/** The counter value columns, in COUNTER_SUMS order. */
export const COUNTER_COLUMNS =
  'slots, tps_sum, tx_count, tx_error, resp_sum, active0_sum, active1_sum, active2_sum, cpu_sum, mem_sum, apdex_sum, apdex_weight, dropped';

/** The ON CONFLICT assignments that add a row into a counter table (minute or 10-minute). */
export const COUNTER_UPSERT_SET = COUNTER_COLUMNS.split(', ')
  .map((c) => `${c} = ${c} + excluded.${c}`)
  .join(', ');

interface Latest {
  t: number | null;
  txid: string | null;
  value: unknown;
}

/**
 * SQL aggregates of every telemetry connection: `hist_sum(hist)` adds stored histograms,
 * `latest(last_seen, example_txid, value)` is the value of the latest occurrence.
 */
export function registerRollupAggregates(db: SqliteDatabase): void {
  db.aggregate('hist_sum', {
    start: () => newHistogram(),
    step: (h: Uint32Array, blob: unknown) => {
      addBlobToHistogram(h, blob instanceof Uint8Array ? blob : null);
      return h;
    },
    result: (h: Uint32Array) => histogramToBlob(h),
  });
  const latestStep = (acc: Latest, t: unknown, txid: unknown, value: unknown): Latest => {
    if (typeof t === 'number' && isLaterOccurrence(t, String(txid ?? ''), acc.t, acc.txid)) {
      acc.t = t;
      acc.txid = String(txid ?? '');
      acc.value = value;
    }
    return acc;
  };
  db.aggregate<Latest>('latest', {
    start: () => ({ t: null, txid: null, value: null }),
    // better-sqlite3 passes every SQL argument; its types only know of one.
    step: latestStep as unknown as (acc: Latest, next: unknown) => Latest,
    result: (acc) => acc.value as string | null,
  });
}
