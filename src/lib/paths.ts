/**
 * Console route paths, written once. `routes` holds the patterns the router matches;
 * `paths` builds links (shared, so features link to each other’s pages without importing each other).
 */
const p = (pcode: string) => `/projects/${encodeURIComponent(pcode)}`;

export const routes = {
  setup: '/setup',
  login: '/login',
  projects: '/projects',
  admin: '/admin',
  project: '/projects/:pcode',
  dashboard: 'dashboard',
  agents: 'agents',
  hitmap: 'hitmap',
  transaction: 'transactions/:txid',
  trace: 'traces/:traceId',
  stats: 'stats',
  alerts: 'alerts',
  incident: 'alerts/incidents/:incidentId',
  install: 'install',
  settings: 'settings',
} as const;

/** The anchor of an HTTP call's row in the trace view, by the span id the call sent. */
export const traceCallAnchor = (spanId: string) => `call-${spanId}`;

export const paths = {
  home: '/',
  setup: '/setup',
  login: '/login',
  projects: '/projects',
  admin: '/admin',
  project: (pcode: string) => p(pcode),
  dashboard: (pcode: string) => `${p(pcode)}/dashboard`,
  agents: (pcode: string) => `${p(pcode)}/agents`,
  /** `search` is appended as is, e.g. `?from=…&to=…`. */
  hitmap: (pcode: string, search = '') => `${p(pcode)}/hitmap${search}`,
  transaction: (pcode: string, txid: string, search = '') =>
    `${p(pcode)}/transactions/${encodeURIComponent(txid)}${search}`,
  /** A trace opened from a project (its rows may be in other projects); with `callSpanId`, at that HTTP call. */
  trace: (pcode: string, traceId: string, callSpanId?: string) =>
    `${p(pcode)}/traces/${encodeURIComponent(traceId)}${callSpanId ? `#${encodeURIComponent(traceCallAnchor(callSpanId))}` : ''}`,
  stats: (pcode: string, search = '') => `${p(pcode)}/stats${search}`,
  /** `search` is appended as is, e.g. `?tab=rules`. */
  alerts: (pcode: string, search = '') => `${p(pcode)}/alerts${search}`,
  incident: (pcode: string, id: number) => `${p(pcode)}/alerts/incidents/${id}`,
  install: (pcode: string) => `${p(pcode)}/install`,
  settings: (pcode: string) => `${p(pcode)}/settings`,
} as const;
