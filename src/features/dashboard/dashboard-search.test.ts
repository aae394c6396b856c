import { dashboardSearchParams, parseDashboardSearch } from './dashboard-search';

describe('dashboard URL state', () => {
  it('reads range and agents, and round-trips', () => {
    const s = parseDashboardSearch(new URLSearchParams('range=7d&agents=3,1,3'));
    expect(s).toEqual({ range: '7d', agents: [1, 3] });
    expect(dashboardSearchParams(s).toString()).toBe('range=7d&agents=1%2C3');
  });

  it('falls back to defaults on malformed values', () => {
    expect(parseDashboardSearch(new URLSearchParams('range=2y&agents=x,-1,2'))).toEqual({ range: '10m', agents: [2] });
    expect(dashboardSearchParams({ range: '10m', agents: [] }).toString()).toBe('');
  });
});
