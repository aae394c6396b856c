import { parseStatsSearch, statsSearchParams } from './stats-search';

describe('statistics URL state', () => {
  it('reads the tab, range, search and sort', () => {
    expect(parseStatsSearch(new URLSearchParams('kind=sql&range=1d&q=orders&sort=p95&dir=asc'))).toEqual({
      kind: 'sql',
      range: '1d',
      q: 'orders',
      sort: 'p95',
      dir: 'asc',
    });
  });

  it('drops a sort column the tab does not have and unknown kinds', () => {
    const s = parseStatsSearch(new URLSearchParams('kind=errors&sort=p99'));
    expect(s.sort).toBe('count');
    expect(parseStatsSearch(new URLSearchParams('kind=bogus')).kind).toBe('transactions');
  });

  it('writes only what differs from the defaults, always the tab', () => {
    expect(statsSearchParams({ kind: 'httpc', range: '1h', q: '', sort: 'total', dir: 'desc' }).toString()).toBe(
      'kind=httpc',
    );
  });
});
