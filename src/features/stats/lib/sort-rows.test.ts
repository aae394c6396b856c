import type { StatRow } from '../../../api/stats';
import { findColumn } from './columns';
import { searchRows, sortRows } from './sort-rows';

const row = (key: string, count: number, extra: Partial<StatRow> = {}): StatRow => ({
  key,
  count,
  errors: 0,
  avg: count,
  p50: 0,
  p95: 0,
  p99: 0,
  max: 0,
  total: 0,
  ...extra,
});

describe('statistics rows', () => {
  const rows = [row('/b', 5), row('/a', 20), row('/c', 5), row('/d', 1)];

  it('sorts numbers both ways, ties by name', () => {
    const count = findColumn('transactions', 'count')!;
    expect(sortRows(rows, count, 'desc').map((r) => r.key)).toEqual(['/a', '/b', '/c', '/d']);
    expect(sortRows(rows, count, 'asc').map((r) => r.key)).toEqual(['/d', '/b', '/c', '/a']);
  });

  it('sorts text and puts missing values last', () => {
    const url = findColumn('errors', 'url')!;
    const errs = [row('E1', 1, { url: '/z' }), row('E2', 1), row('E3', 1, { url: '/a' })];
    expect(sortRows(errs, url, 'asc').map((r) => r.key)).toEqual(['E3', 'E1', 'E2']);
    expect(sortRows(errs, url, 'desc').map((r) => r.key)).toEqual(['E1', 'E3', 'E2']);
  });

  it('searches key, message and URL for every word, ignoring case', () => {
    const errs = [
      row('ValueError', 1, { message: 'invalid salt', url: '/login' }),
      row('KeyError', 1, { message: 'cart', url: '/cart' }),
    ];
    expect(searchRows(errs, 'SALT').map((r) => r.key)).toEqual(['ValueError']);
    expect(searchRows(errs, 'error /cart').map((r) => r.key)).toEqual(['KeyError']);
    expect(searchRows(errs, '  ')).toHaveLength(2);
    expect(searchRows(errs, 'nothing')).toHaveLength(0);
  });
});
