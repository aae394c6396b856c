import { describe, expect, it } from 'vitest';
// The alerts feature links to the dashboard and the hitmap without importing them; the app, which
// composes the features, checks here that those links open the view they mean in the pages' own parsers.
import { dashboardLink, hitmapLink } from '../features/alerts/lib/incident-links';
import { parseDashboardSearch } from '../features/dashboard/dashboard-search';
import { parseHitmapSearch } from '../features/hitmap/hitmap-search';

const now = Date.parse('2026-12-03T12:00:00Z');

describe('incident links', () => {
  it('open the hitmap on the incident with five minutes either side, on its agent', () => {
    const link = hitmapLink('demoshop', '2026-12-03T10:00:00Z', '2026-12-03T10:20:00Z', 'agent:4', now);
    const [path, query] = link.split('?');
    expect(path).toBe('/projects/demoshop/hitmap');
    const view = parseHitmapSearch(new URLSearchParams(query), now);
    expect(view).toMatchObject({ mode: 'range', agentId: 4 });
    expect(view.from).toBe(Date.parse('2026-12-03T09:55:00Z'));
    expect(view.to).toBe(Date.parse('2026-12-03T10:25:00Z'));
  });

  it('end an open incident’s hitmap range now and filter a transaction incident by its name', () => {
    const view = parseHitmapSearch(new URLSearchParams(hitmapLink('p', '2026-12-03T11:50:00Z', null, 'tx:/checkout', now).split('?')[1]), now);
    expect(view.to).toBe(now);
    expect(view.url).toBe('/checkout');
  });

  it('open the dashboard over the shortest range reaching back to the start', () => {
    const q = (started: string, scope = 'project') => new URLSearchParams(dashboardLink('p', started, scope, now).split('?')[1]);
    expect(parseDashboardSearch(q('2026-12-03T11:58:00Z'))).toEqual({ range: '10m', agents: [] });
    expect(parseDashboardSearch(q('2026-12-03T10:00:00Z', 'agent:2'))).toEqual({ range: '6h', agents: [2] });
    expect(parseDashboardSearch(q('2026-11-01T10:00:00Z'))).toEqual({ range: '31d', agents: [] });
  });
});
