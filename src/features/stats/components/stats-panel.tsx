import type { UseQueryResult } from '@tanstack/react-query';
import { Button } from '../../../components/button';
import { ErrorBanner } from '../../../components/error-banner';
import { LoadingState } from '../../../components/spinner';
import type { StatKind, StatRow } from '../../../api/stats';
import { formatCount, formatNumber } from '../../../lib/format';
import { formatDateTime } from '../../../lib/time-format';
import type { StatsResult } from '../api/get-stats';
import { statKindLabels } from '../lib/columns';
import { overflowNote } from '../lib/overflow';
import type { SortDir } from '../lib/sort-rows';
import { StatsTable } from './stats-table';

/** Rows drawn at once; the search narrows the rest and the CSV always has them all. */
const MAX_SHOWN = 500;

interface StatsPanelProps {
  kind: StatKind;
  query: UseQueryResult<StatsResult>;
  /** The rows after search and sort. */
  rows: readonly StatRow[];
  q: string;
  onSearch: (q: string) => void;
  sort: string;
  dir: SortDir;
  onSort: (sort: string, dir: SortDir) => void;
  onExport: () => void;
  transactionHref: (txid: string) => string;
  timeZone: string;
}

/** One tab of the statistics: search, refresh, export, and the table. */
export function StatsPanel(props: StatsPanelProps) {
  const { kind, query, rows, q } = props;
  const total = query.data?.rows.length ?? 0;
  const label = statKindLabels[kind];
  const overflow = query.data ? overflowNote(kind, query.data.rows) : null;
  return (
    <>
      <div className="stats-toolbar">
        <label className="stats-search">
          <span className="visually-hidden">Search {label}</span>
          <input
            type="search"
            placeholder={kind === 'errors' ? 'Search class, message, URL…' : `Search ${label.toLowerCase()}…`}
            value={q}
            onChange={(e) => props.onSearch(e.target.value)}
          />
        </label>
        <span className="text-muted stats-summary" aria-live="polite">
          {query.data &&
            `${rows.length === total ? formatCount(total, 'row') : `${formatNumber(rows.length)} of ${formatCount(total, 'row')}`} · ${formatDateTime(query.data.from, props.timeZone)} – ${formatDateTime(query.data.to, props.timeZone)}`}
        </span>
        <Button size="sm" onClick={() => void query.refetch()} loading={query.isFetching && !query.isPending}>
          Refresh
        </Button>
        <Button size="sm" variant="primary" onClick={props.onExport} disabled={rows.length === 0}>
          Export CSV
        </Button>
      </div>

      {query.error && (
        <ErrorBanner error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      )}
      {overflow && (
        <p className="stats-overflow" role="note">
          {overflow}
        </p>
      )}
      {query.isPending && <LoadingState label={`Loading ${label.toLowerCase()} statistics…`} />}
      {query.isSuccess && total === 0 && (
        <p className="stats-empty">
          No {label.toLowerCase()} recorded in this range. Try a longer range, or check that agents are running.
        </p>
      )}
      {total > 0 && rows.length === 0 && <p className="stats-empty">Nothing matches “{q}”.</p>}
      {rows.length > 0 && (
        <>
          <StatsTable
            kind={kind}
            rows={rows.slice(0, MAX_SHOWN)}
            sort={props.sort}
            dir={props.dir}
            onSort={props.onSort}
            transactionHref={props.transactionHref}
            timeZone={props.timeZone}
          />
          {rows.length > MAX_SHOWN && (
            <p className="text-muted stats-more">
              Showing the first {MAX_SHOWN} of {formatNumber(rows.length)} rows. Search to narrow them, or export the
              CSV for all.
            </p>
          )}
        </>
      )}
    </>
  );
}
