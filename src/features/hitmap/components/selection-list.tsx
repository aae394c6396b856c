import { useMemo, useRef } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TransactionSummary } from '../../../api/transactions';
import { paths } from '../../../lib/paths';
import { formatZoned } from '../../../lib/time-format';
import { formatDuration, formatNumber } from '../../../lib/format';
import type { SortKey } from '../hitmap-search';

const COLUMNS: ReadonlyArray<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'time', label: 'End time' },
  { key: 'agent', label: 'Agent' },
  { key: 'url', label: 'URL' },
  { key: 'elapsed', label: 'Elapsed', numeric: true },
  { key: 'status', label: 'Status', numeric: true },
  { key: 'sql', label: 'SQL', numeric: true },
  { key: 'httpc', label: 'HTTP calls', numeric: true },
];

const ROW_HEIGHT = 34;
/** Below this many rows a plain table is cheap; above, only the visible rows are rendered. */
const VIRTUALIZE_ABOVE = 150;

function compare(key: SortKey): (a: TransactionSummary, b: TransactionSummary) => number {
  switch (key) {
    case 'time':
      return (a, b) => a.end - b.end;
    case 'elapsed':
      return (a, b) => a.elapsed - b.elapsed;
    case 'agent':
      return (a, b) => a.objectName.localeCompare(b.objectName) || a.end - b.end;
    case 'url':
      return (a, b) => a.url.localeCompare(b.url) || a.end - b.end;
    case 'status':
      return (a, b) => a.status - b.status || a.end - b.end;
    case 'sql':
      return (a, b) => a.sqlCount - b.sqlCount || a.sqlTime - b.sqlTime;
    case 'httpc':
      return (a, b) => a.httpcCount - b.httpcCount || a.httpcTime - b.httpcTime;
  }
}

/** Sorts a copy of the rows by a column (the list is at most 1,000 rows: sorting in the browser is instant). */
export function sortTransactions(rows: readonly TransactionSummary[], key: SortKey, dir: 'asc' | 'desc') {
  const cmp = compare(key);
  return [...rows].sort(dir === 'asc' ? cmp : (a, b) => cmp(b, a));
}

interface Props {
  pcode: string;
  rows: readonly TransactionSummary[];
  timeZone: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
  onSort: (key: SortKey, dir: 'asc' | 'desc') => void;
  onUrlFilter: (url: string) => void;
}

/** The transactions of a selection: sortable columns, a click opens the profile. */
export function SelectionList({ pcode, rows, timeZone, sort, dir, onSort, onUrlFilter }: Props) {
  const sorted = useMemo(() => sortTransactions(rows, sort, dir), [rows, sort, dir]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const virtual = sorted.length > VIRTUALIZE_ABOVE;
  const virtualizer = useVirtualizer({
    count: virtual ? sorted.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 900, height: 480 },
  });
  const items = virtual ? virtualizer.getVirtualItems() : null;
  const shown = items ? items.map((it) => ({ tx: sorted[it.index]!, index: it.index })) : sorted.map((tx, index) => ({ tx, index }));
  const padTop = items && items.length ? items[0]!.start : 0;
  const padBottom = items && items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const back = { from: location.pathname + location.search };
  // One day (the usual drag): the date is in the panel's title, the rows show the time only.
  const oneDay = useMemo(() => {
    const days = new Set(rows.map((tx) => formatZoned(tx.end, timeZone, false).slice(0, 10)));
    return days.size <= 1;
  }, [rows, timeZone]);

  return (
    <div ref={scrollRef} className="selection-list" style={{ maxHeight: 480, overflow: 'auto' }}>
      <table className="table table-compact" aria-rowcount={sorted.length + 1}>
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const active = sort === c.key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => onSort(c.key, active && dir === 'desc' ? 'asc' : 'desc')}
                  >
                    {c.label}
                    <span aria-hidden="true">{active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" style={{ height: padTop }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          {shown.map(({ tx, index }) => {
            const href = paths.transaction(pcode, tx.txid);
            return (
              <tr
                key={tx.txid}
                aria-rowindex={index + 2}
                className={tx.error ? 'tx-row tx-row--error' : 'tx-row'}
                style={{ height: ROW_HEIGHT }}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a, button')) return;
                  navigate(href, { state: back });
                }}
              >
                <td className="mono nowrap">
                  <Link to={href} state={back} title="Open the profile">
                    {oneDay ? formatZoned(tx.end, timeZone).slice(11) : formatZoned(tx.end, timeZone)}
                  </Link>
                </td>
                <td className="nowrap">{tx.objectName}</td>
                <td className="tx-url">
                  <span className="tx-method">{tx.method}</span>{' '}
                  <button type="button" className="link-button tx-url__text" title="Show only this URL" onClick={() => onUrlFilter(tx.url)}>
                    {tx.url}
                  </button>
                </td>
                <td className="num mono">{formatDuration(tx.elapsed)}</td>
                <td className="num">
                  <span className={tx.error || tx.status >= 500 ? 'status status--error' : tx.status >= 400 ? 'status status--warn' : 'status'}>
                    {tx.status}
                  </span>
                  {tx.error && <span className="tx-error" title={tx.error}>{tx.error}</span>}
                </td>
                <td className="num">{tx.sqlCount ? `${formatNumber(tx.sqlCount)} · ${formatDuration(tx.sqlTime)}` : '0'}</td>
                <td className="num">{tx.httpcCount ? `${formatNumber(tx.httpcCount)} · ${formatDuration(tx.httpcTime)}` : '0'}</td>
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" style={{ height: padBottom }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
