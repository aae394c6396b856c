import type { HitmapSelection } from '../lib/hitmap-bins';
import { elapsedLabel } from '../lib/hitmap-axes';
import { formatZoned } from '../../../lib/time-format';
import { Button } from '../../../components/button';
import { ErrorBanner } from '../../../components/error-banner';
import { Card } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { formatCount, formatNumber } from '../../../lib/format';
import { SELECTION_LIST_LIMIT, useTransactionList } from '../api/get-transaction-list';
import type { HitmapSearch } from '../hitmap-search';
import { SelectionList } from './selection-list';

interface Props {
  pcode: string;
  timeZone: string;
  search: HitmapSearch;
  selection: HitmapSelection;
  /** Counted in the browser the moment the drag ended. */
  instant: { count: number; errors: number } | null;
  onChange: (patch: Partial<HitmapSearch>, replace?: boolean) => void;
}

/** Describes a selection in words: `14:03:00 – 14:05:10 · 200 ms – 1.2 s`. */
export function describeSelection(sel: HitmapSelection, timeZone: string): string {
  const day = (t: number) => formatZoned(t, timeZone, false);
  const from = day(sel.from);
  const to = day(sel.to);
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  const time = `${from} – ${sameDay ? to.slice(11) : to}`;
  const el =
    sel.maxElapsed === undefined
      ? `≥ ${elapsedLabel(sel.minElapsed)}`
      : `${elapsedLabel(sel.minElapsed)} – ${elapsedLabel(sel.maxElapsed)}`;
  return `${time} · ${el}`;
}

interface SelectionSummary {
  /** The browser's own count: shown until the list answers, and after only when it disagrees. */
  instant: string | null;
  /** The server's count, once the list has answered. */
  total: string | null;
}

/**
 * The one line above the list. The hitmap's count shows the moment the drag ends; when the list
 * answers with the same total it is said once ("17 transactions (2 errors)"), not twice.
 */
export function summarizeSelection(
  instant: { count: number; errors: number } | null,
  listed: { total: number; shown: number } | null,
  sort: HitmapSearch['sort'],
): SelectionSummary {
  const errors = instant?.errors ? ` (${formatCount(instant.errors, 'error')})` : '';
  if (!listed) return { instant: instant ? `${formatCount(instant.count, 'transaction')} in the hitmap${errors}` : null, total: null };
  const agrees = instant !== null && instant.count === listed.total;
  const total =
    listed.total > listed.shown
      ? `Showing ${formatNumber(listed.shown)} of ${formatCount(listed.total, 'transaction')} (${sort === 'elapsed' ? 'the slowest' : 'the newest'}) — narrow the selection to see the rest`
      : formatCount(listed.total, 'transaction');
  return {
    total: agrees ? `${total}${errors}` : total,
    instant: instant && !agrees ? `the hitmap shows ${formatNumber(instant.count)}${errors}` : null,
  };
}

/** The selected rectangle's transactions: instant count, then the server's list with its true total. */
export function SelectionPanel({ pcode, timeZone, search, selection, instant, onChange }: Props) {
  const list = useTransactionList({
    pcode,
    from: selection.from,
    to: selection.to,
    minElapsed: selection.minElapsed,
    maxElapsed: selection.maxElapsed,
    agentId: search.agentId,
    url: search.url,
    errorsOnly: search.errorsOnly,
    sort: search.sort === 'elapsed' ? 'elapsed' : 'end',
  });
  const rows = list.data?.transactions ?? [];
  const total = list.data?.total ?? 0;
  const summary = summarizeSelection(instant, list.data ? { total, shown: rows.length } : null, search.sort);

  return (
    <Card
      title="Selected transactions"
      description={describeSelection(selection, timeZone)}
      actions={
        <Button size="sm" variant="ghost" onClick={() => onChange({ selection: null })}>
          Clear selection
        </Button>
      }
      padded={false}
    >
      <div className="selection-summary" aria-live="polite">
        {summary.instant && <span data-testid="selection-instant">{summary.instant}</span>}
        {summary.total && <span data-testid="selection-total">{summary.total}</span>}
        {list.isFetching && <span className="text-muted">Loading…</span>}
      </div>
      {list.error && <ErrorBanner error={list.error} title="The transactions could not be listed" onRetry={() => void list.refetch()} />}
      {list.isPending && !list.error && <Skeleton rows={4} label="Loading transactions…" />}
      {list.data && rows.length === 0 && (
        <p className="selection-empty">No transactions in this area. Drag a larger rectangle, or clear the filters.</p>
      )}
      {rows.length > 0 && (
        <SelectionList
          pcode={pcode}
          rows={rows}
          timeZone={timeZone}
          sort={search.sort}
          dir={search.dir}
          onSort={(sort, dir) => onChange({ sort, dir }, true)}
          onUrlFilter={(url) => onChange({ url })}
        />
      )}
      {total > SELECTION_LIST_LIMIT && rows.length === SELECTION_LIST_LIMIT && (
        <p className="selection-cap text-muted">
          The list is capped at {formatNumber(SELECTION_LIST_LIMIT)} rows; sorting by elapsed lists the slowest.
        </p>
      )}
    </Card>
  );
}
