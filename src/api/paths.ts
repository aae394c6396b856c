/** API paths, written once; used by the client, the mock server and the collector's routes. */
export const API = '/api/v1';

export const apiPaths = {
  setup: `${API}/setup`,
  session: `${API}/session`,
  me: `${API}/me`,
  users: `${API}/users`,
  /** PATCH `{disabled}`: disable or enable; DELETE: delete (administrators). */
  user: (id: number) => `${API}/users/${id}`,
  audit: `${API}/audit`,
  regions: `${API}/regions`,
  projects: `${API}/projects`,
  project: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}`,
  members: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/members`,
  member: (pcode: string, userId: number) => `${API}/projects/${encodeURIComponent(pcode)}/members/${userId}`,
  /** DELETE: sign out everywhere (every session of the signed-in user). */
  sessions: `${API}/sessions`,
  licenses: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/licenses`,
  license: (pcode: string, id: number) => `${API}/projects/${encodeURIComponent(pcode)}/licenses/${id}`,
  agents: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/agents`,
  hitmap: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/hitmap`,
  transactions: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/transactions`,
  transaction: (pcode: string, txid: string) =>
    `${API}/projects/${encodeURIComponent(pcode)}/transactions/${encodeURIComponent(txid)}`,
  counters: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/counters`,
  stats: (pcode: string, kind: string) => `${API}/projects/${encodeURIComponent(pcode)}/stats/${kind}`,
} as const;

/** Route patterns in the collector's (Fastify) syntax. */
export const routePatterns = {
  user: `${API}/users/:id`,
  project: `${API}/projects/:pcode`,
  members: `${API}/projects/:pcode/members`,
  member: `${API}/projects/:pcode/members/:userId`,
  licenses: `${API}/projects/:pcode/licenses`,
  license: `${API}/projects/:pcode/licenses/:id`,
  agents: `${API}/projects/:pcode/agents`,
  hitmap: `${API}/projects/:pcode/hitmap`,
  transactions: `${API}/projects/:pcode/transactions`,
  transaction: `${API}/projects/:pcode/transactions/:txid`,
  counters: `${API}/projects/:pcode/counters`,
  stats: `${API}/projects/:pcode/stats/:kind`,
} as const;
