import type { StatKind, StatRow } from '../../../api/stats';

/**
 * The row the agent (past its `stat_tx_max_count` distinct transaction names per process and
 * hour) and the collector (past 5,000 distinct keys per project, kind and day) count the rest
 * under. The same string as the collector's OVERFLOW_KEY and the agent's OVERFLOW_NAME
 * (collector/store/rollup-name-bound.test.ts checks the three agree).
 */
export const OVERFLOW_NAME = '/{overflow: stat_tx_max_count reached}';

/** What the overflow row of a table means, or null when the table has none. */
export function overflowNote(kind: StatKind, rows: readonly StatRow[]): string | null {
  const row = rows.find((r) => r.key === OVERFLOW_NAME);
  if (!row) return null;
  const what = kind === 'transactions' ? 'transaction names' : kind === 'sql' ? 'SQL statements' : kind === 'httpc' ? 'HTTP-call URLs' : 'error classes';
  const bounds =
    kind === 'transactions'
      ? 'An agent keeps at most stat_tx_max_count names per process and hour (5,000 by default), the collector 5,000 per project and day.'
      : 'The collector keeps at most 5,000 per project and day.';
  const advice =
    kind === 'transactions'
      ? ' Name transactions by route (route templates, trace_normalize_urls) so that IDs in paths do not make new names.'
      : '';
  return (
    `Too many distinct ${what}: ${row.count.toLocaleString('en-US')} ${row.count === 1 ? 'occurrence is' : 'occurrences are'} ` +
    `counted in the row “${OVERFLOW_NAME}” instead of their own. ${bounds}${advice}`
  );
}
