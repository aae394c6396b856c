import type { StatKind, StatRow } from '../../../api/stats';

export type ColumnFormat = 'text' | 'count' | 'ms' | 'time';

/** One column of a statistics table; `value` is what sorting and the CSV use. */
export interface StatColumn {
  id: string;
  label: string;
  format: ColumnFormat;
  value: (row: StatRow) => string | number | null;
}

const text = (id: string, label: string, value: (r: StatRow) => string | null): StatColumn => ({
  id,
  label,
  format: 'text',
  value,
});
const num = (id: keyof StatRow & string, label: string, format: ColumnFormat): StatColumn => ({
  id,
  label,
  format,
  value: (r) => {
    const v = r[id];
    return typeof v === 'number' ? v : null;
  },
});

const count = num('count', 'Count', 'count');
const errors = num('errors', 'Errors', 'count');
const avg = num('avg', 'Average', 'ms');
const p95 = num('p95', 'p95', 'ms');
const total = num('total', 'Total time', 'ms');

/** The columns of each kind, in display order; the first is the row's name. */
export const statColumns: Record<StatKind, StatColumn[]> = {
  transactions: [
    text('key', 'URL', (r) => r.key),
    count,
    errors,
    avg,
    num('p50', 'p50', 'ms'),
    p95,
    num('p99', 'p99', 'ms'),
    num('max', 'Max', 'ms'),
    total,
    num('sqlTime', 'SQL time', 'ms'),
    num('httpcTime', 'HTTP time', 'ms'),
  ],
  sql: [text('key', 'Statement', (r) => r.key), count, errors, avg, p95, total],
  httpc: [text('key', 'URL / host', (r) => r.key), count, errors, avg, p95, total],
  errors: [
    text('key', 'Class', (r) => r.key),
    text('message', 'Message', (r) => r.message ?? null),
    text('url', 'URL', (r) => r.url ?? null),
    count,
    num('lastSeen', 'Last seen', 'time'),
  ],
};

/** Where the interesting rows are first: where the time goes, or the most frequent error. */
export const defaultSort: Record<StatKind, string> = {
  transactions: 'total',
  sql: 'total',
  httpc: 'total',
  errors: 'count',
};

export const statKindLabels: Record<StatKind, string> = {
  transactions: 'Transactions',
  sql: 'SQL',
  httpc: 'HTTP calls',
  errors: 'Errors',
};

export function findColumn(kind: StatKind, id: string): StatColumn | undefined {
  return statColumns[kind].find((c) => c.id === id);
}
