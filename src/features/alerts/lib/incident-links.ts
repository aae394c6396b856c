import { paths } from '../../../lib/paths';

/** Margin shown around an incident, so the chart shows the lead-up and the recovery. */
const MARGIN_MS = 5 * 60_000;

/** The dashboard's history ranges (dashboard-search.ts), shortest first, with their length. */
const DASHBOARD_RANGES: ReadonlyArray<readonly [string, number]> = [
  ['10m', 10 * 60_000],
  ['1h', 3_600_000],
  ['6h', 6 * 3_600_000],
  ['1d', 86_400_000],
  ['7d', 7 * 86_400_000],
  ['31d', 31 * 86_400_000],
];

/**
 * The hitmap at the incident's time range (with a margin) in the hitmap's URL format
 * (`?mode=range&from=&to=`, hitmap-search.ts), filtered to its agent when the incident is one agent's.
 */
export function hitmapLink(pcode: string, startedAt: string, resolvedAt: string | null, scopeKey: string, now = Date.now()): string {
  const from = Date.parse(startedAt) - MARGIN_MS;
  const to = Math.min(now, (resolvedAt ? Date.parse(resolvedAt) : now) + MARGIN_MS);
  const q = new URLSearchParams({ mode: 'range', from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  const agent = /^agent:(\d+)$/.exec(scopeKey)?.[1];
  if (agent) q.set('agent', agent);
  const tx = /^tx:(.+)$/.exec(scopeKey)?.[1];
  if (tx) q.set('url', tx);
  return paths.hitmap(pcode, `?${q.toString()}`);
}

/**
 * The dashboard over the shortest history range that reaches back to the incident's start
 * (the dashboard shows ranges ending now, `?range=`, dashboard-search.ts), on its agent if any.
 */
export function dashboardLink(pcode: string, startedAt: string, scopeKey: string, now = Date.now()): string {
  const back = now - Date.parse(startedAt) + MARGIN_MS;
  const range = DASHBOARD_RANGES.find(([, ms]) => ms >= back)?.[0] ?? '31d';
  const q = new URLSearchParams({ range });
  const agent = /^agent:(\d+)$/.exec(scopeKey)?.[1];
  if (agent) q.set('agents', agent);
  return `${paths.dashboard(pcode)}?${q.toString()}`;
}
