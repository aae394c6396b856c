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
  /** GET list, POST create (alerts.ts has the shapes of everything alert-related). */
  alertRules: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/alert-rules`,
  /** GET, PATCH, DELETE one rule. */
  alertRule: (pcode: string, ruleId: number) => `${API}/projects/${encodeURIComponent(pcode)}/alert-rules/${ruleId}`,
  /** POST {rule, range}: the rule's metric and when it would have fired. */
  alertPreview: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/alert-rules/preview`,
  incidents: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/incidents`,
  incident: (pcode: string, id: number) => `${API}/projects/${encodeURIComponent(pcode)}/incidents/${id}`,
  /** POST: acknowledge (owner or member). */
  incidentAck: (pcode: string, id: number) => `${API}/projects/${encodeURIComponent(pcode)}/incidents/${id}/ack`,
  alertChannels: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/alert-channels`,
  /** PATCH, DELETE one channel. */
  alertChannel: (pcode: string, channelId: number) =>
    `${API}/projects/${encodeURIComponent(pcode)}/alert-channels/${channelId}`,
  /** POST: send a test notification now; answers the delivery. */
  alertChannelTest: (pcode: string, channelId: number) =>
    `${API}/projects/${encodeURIComponent(pcode)}/alert-channels/${channelId}/test`,
  alertChannelDeliveries: (pcode: string, channelId: number) =>
    `${API}/projects/${encodeURIComponent(pcode)}/alert-channels/${channelId}/deliveries`,
  silences: (pcode: string) => `${API}/projects/${encodeURIComponent(pcode)}/silences`,
  /** DELETE: end a silence now. */
  silence: (pcode: string, id: number) => `${API}/projects/${encodeURIComponent(pcode)}/silences/${id}`,
  /** Open incidents per project the user is a member of. */
  alertSummary: `${API}/alerts/summary`,
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
  alertRules: `${API}/projects/:pcode/alert-rules`,
  alertRule: `${API}/projects/:pcode/alert-rules/:ruleId`,
  alertPreview: `${API}/projects/:pcode/alert-rules/preview`,
  incidents: `${API}/projects/:pcode/incidents`,
  incident: `${API}/projects/:pcode/incidents/:id`,
  incidentAck: `${API}/projects/:pcode/incidents/:id/ack`,
  alertChannels: `${API}/projects/:pcode/alert-channels`,
  alertChannel: `${API}/projects/:pcode/alert-channels/:channelId`,
  alertChannelTest: `${API}/projects/:pcode/alert-channels/:channelId/test`,
  alertChannelDeliveries: `${API}/projects/:pcode/alert-channels/:channelId/deliveries`,
  silences: `${API}/projects/:pcode/silences`,
  silence: `${API}/projects/:pcode/silences/:id`,
  alertSummary: `${API}/alerts/summary`,
} as const;
