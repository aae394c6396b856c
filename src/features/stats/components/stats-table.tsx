import { Link } from 'react-router';
import type { StatKind, StatRow } from '../../../api/stats';
import { formatDuration, formatNumber } from '../../../lib/format';
import { formatDateTime } from '../../../lib/time-format';
import { statColumns, type StatColumn } from '../lib/columns';
import type { SortDir } from '../lib/sort-rows';

interface StatsTableProps {
  kind: StatKind;
  rows: readonly StatRow[];
  sort: string;
  dir: SortDir;
  onSort: (column: string, dir: SortDir) => void;
  transactionHref: (txid: string) => string;
  timeZone: string;
}

function cell(column: StatColumn, row: StatRow, timeZone: string): string {
  const v = column.value(row);
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  if (column.format === 'ms') return formatDuration(v);
  if (column.format === 'time') return formatDateTime(v, timeZone);
  return formatNumber(v);
}

/**
 * A statistics table with sortable headers. URLs, SQL and error messages come from agents:
 * they are rendered as text only.
 */
export function StatsTable({ kind, rows, sort, dir, onSort, transactionHref, timeZone }: StatsTableProps) {
  const columns = statColumns[kind];
  const clickSort = (c: StatColumn) => {
    if (c.id === sort) onSort(c.id, dir === 'desc' ? 'asc' : 'desc');
    else onSort(c.id, c.format === 'text' ? 'asc' : 'desc');
  };
  return (
    <div className="table-wrap">
      <table className="table stats-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                className={c.format === 'text' ? 'text' : 'num'}
                aria-sort={c.id === sort ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                <button type="button" className="sort-button" onClick={() => clickSort(c)}>
                  {c.label}
                  <span aria-hidden="true" className="sort-mark">
                    {c.id === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </span>
                </button>
              </th>
            ))}
            {kind === 'errors' && <th scope="col">Example</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={`${row.key}\u0000${i}`}>
              {columns.map((c, ci) =>
                ci === 0 ? (
                  <td key={c.id} className={`text stats-key stats-key--${kind}`} title={row.key}>
                    {row.key}
                  </td>
                ) : (
                  <td key={c.id} className={c.format === 'text' ? 'text stats-text' : 'num'} title={c.format === 'text' ? cell(c, row, timeZone) : undefined}>
                    {cell(c, row, timeZone)}
                  </td>
                ),
              )}
              {kind === 'errors' && (
                <td>
                  {row.exampleTxid ? (
                    <Link to={transactionHref(row.exampleTxid)} aria-label={`Example transaction of ${row.key}`}>
                      Open
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
