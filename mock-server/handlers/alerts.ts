import { http, HttpResponse } from 'msw';
import type { ZodError, ZodIssue } from 'zod';
import {
  alertPreviewRequestSchema,
  BELOW_KINDS,
  createAlertChannelRequestSchema,
  createAlertRuleRequestSchema,
  createSilenceRequestSchema,
  incidentQuerySchema,
  updateAlertChannelRequestSchema,
  updateAlertRuleRequestSchema,
  ALERT_SEVERITY_RANK,
  type AlertChannel,
  type AlertDelivery,
  type AlertPreview,
  type AlertRule,
  type AlertSeries,
  type AlertSummary,
  type Incident,
  type IncidentDetail,
  type Silence,
} from '../../src/api/alerts';
import { errorCodes } from '../../src/api/errors';
import { routePatterns } from '../../src/api/paths';
import { MOCK_PCODE } from '../data/agents';
import {
  firingRanges,
  previewValue,
  seedAlerts,
  type MockAlertState,
  type MockChannel,
  type MockDelivery,
  type MockRule,
} from '../data/alerts-seed';
import { apiError, db, nowIso, onDbReset, readJson, requireMember, requireUser } from '../db';
import { mockAgents } from './agents';

/**
 * The alert API on an in-memory store (src/api/alerts.ts): rules with a made-up preview,
 * incidents, channels with write-only secrets and their delivery log, silences, the summary.
 * In the browser the store is kept in sessionStorage like the core db, so a reload keeps it.
 */
const STORAGE_KEY = 'tapscope-mock-alerts';
const storage = typeof sessionStorage === 'undefined' ? null : sessionStorage;

function load(): MockAlertState {
  try {
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved) return JSON.parse(saved) as MockAlertState;
  } catch {
    // keep the seed
  }
  return seedAlerts();
}

const alerts: MockAlertState = load();

function persist() {
  storage?.setItem(STORAGE_KEY, JSON.stringify(alerts));
}

onDbReset(() => {
  Object.assign(alerts, seedAlerts());
  storage?.removeItem(STORAGE_KEY);
});

const nextId = () => alerts.nextId++;

/** A 400 like the collector's: the field as a dotted path, zod's "Required" in words. */
function invalid(error: ZodError) {
  const issue: ZodIssue = error.issues[0]!;
  const field = issue.path.join('.');
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    if (field === '') message = 'The request body must be a JSON object.';
    else if (issue.received === 'undefined') message = `${field} is required.`;
    else message = `${field} must be a ${issue.expected}.`;
  } else if (issue.code === 'unrecognized_keys') {
    message = `Unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
  }
  return apiError(400, errorCodes.validation, message, field || undefined);
}

const badField = (message: string, field: string) => apiError(400, errorCodes.validation, message, field);
const notFound = (what: string) => apiError(404, errorCodes.notFound, `No such ${what} in this project.`);
const idOf = (value: unknown) => Number(value);

const agentsOf = (pcode: string) => (pcode === MOCK_PCODE ? mockAgents() : []);

function toRule({ pcode: _p, ...rule }: MockRule): AlertRule {
  return rule;
}

const last4 = (s: string) => s.slice(-4);

function toChannel(c: MockChannel): AlertChannel {
  const base = { id: c.id, name: c.name, enabled: c.enabled, createdAt: c.createdAt, createdBy: c.createdBy };
  if (c.kind === 'webhook')
    return { ...base, kind: 'webhook', url: c.url ?? '', secretSet: !!c.secret, secretHint: c.secret ? `••••••${last4(c.secret)}` : '' };
  if (c.kind === 'slack') return { ...base, kind: 'slack', urlHint: `${new URL(c.url ?? 'https://invalid').origin}/••••${last4(c.url ?? '')}` };
  const smtp = c.smtp ? { host: c.smtp.host, port: c.smtp.port, security: c.smtp.security, username: c.smtp.username, from: c.smtp.from, passwordSet: !!c.smtp.password } : null;
  return { ...base, kind: 'email', to: c.to ?? [], smtp };
}

function toDelivery({ pcode: _p, ...d }: MockDelivery): AlertDelivery {
  return d;
}

function toIncident({ pcode: _p, rule: _r, ...i }: (typeof alerts.incidents)[number]): Incident {
  return i;
}

function toIncidentDetail(i: (typeof alerts.incidents)[number]): IncidentDetail {
  const notifications = alerts.deliveries
    .filter((d) => d.pcode === i.pcode && d.incidentId === i.id)
    .sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id)
    .map(toDelivery);
  return { ...toIncident(i), rule: i.rule, notifications };
}

/** Agents and channels a rule names must exist in the project. */
function checkReferences(pcode: string, rule: { scope: AlertRule['scope']; channelIds: number[] }): Response | null {
  if (rule.scope.type === 'agents') {
    const known = new Set(agentsOf(pcode).map((a) => a.id));
    const unknown = rule.scope.agentIds.filter((id) => !known.has(id));
    if (unknown.length > 0) return badField(`Unknown agent ${unknown.join(', ')} in this project.`, 'scope.agentIds');
  }
  const channels = new Set(alerts.channels.filter((c) => c.pcode === pcode).map((c) => c.id));
  const unknown = rule.channelIds.filter((id) => !channels.has(id));
  if (unknown.length > 0) return badField(`Unknown channel ${unknown.join(', ')} in this project.`, 'channelIds');
  return null;
}

const UNITS: Record<AlertRule['kind'], string> = {
  agent_inactive: 's',
  error_count: 'count',
  error_rate: '%',
  response_time: 'ms',
  tps_below: 'tps',
  tps_above: 'tps',
  apdex_below: 'apdex',
  active_slow: 'count',
};

function preview(pcode: string, rule: ReturnType<typeof createAlertRuleRequestSchema.parse>, range: '1h' | '1d'): AlertPreview {
  const now = Date.now();
  const span = range === '1h' ? 3_600_000 : 86_400_000;
  const step = range === '1h' ? 60_000 : 600_000;
  const to = Math.floor(now / step) * step;
  const from = to - span;
  const agents = agentsOf(pcode);
  const name = (id: number) => agents.find((a) => a.id === id)?.objectName ?? `agent #${id}`;
  const keys: Array<{ key: string; label: string; agentId?: number }> =
    rule.scope.type === 'agents'
      ? rule.scope.agentIds.map((id) => ({ key: `agent:${id}`, label: name(id), agentId: id }))
      : rule.scope.type === 'transaction'
        ? [{ key: `tx:${rule.scope.name}`, label: rule.scope.name }]
        : rule.kind === 'agent_inactive'
          ? agents.map((a) => ({ key: `agent:${a.id}`, label: a.objectName, agentId: a.id }))
          : [{ key: 'project', label: 'Whole project' }];
  const below = BELOW_KINDS.includes(rule.kind);
  const holds = (v: number) => (below ? v < rule.threshold : v > rule.threshold);
  const series: AlertSeries[] = keys.map(({ key, label, agentId }) => {
    const points: AlertSeries['points'] = [];
    const agent = agents.find((a) => a.id === agentId);
    for (let t = from; t <= to; t += step) {
      let value: number | null = pcode === MOCK_PCODE ? previewValue(rule.kind, key, t, now) : null;
      if (rule.kind === 'agent_inactive') {
        const stopped = agent && agent.status !== 'active' ? Date.parse(agent.lastSeen) : null;
        value = !agent ? null : stopped !== null && t > stopped ? (t - stopped) / 1000 : 2 + ((t / step) % 4);
      }
      points.push({ time: t, value: value === null ? null : Math.round(value * 100) / 100 });
    }
    return { key, label, points };
  });
  const firing = series.flatMap((s) => firingRanges(s.points, holds, rule.forSec, step).map((r) => ({ key: s.key, ...r })));
  return { from, to, step, unit: UNITS[rule.kind], threshold: rule.threshold, comparison: below ? 'below' : 'above', series, wouldFire: firing.length, firing };
}

/** A test notification, decided by the target: `.invalid` hosts are unreachable, a `wrong` SMTP password fails auth. */
function testDelivery(c: MockChannel): MockDelivery {
  const base = { pcode: c.pcode, id: nextId(), channelId: c.id, incidentId: null, event: 'test' as const, attempt: 1, at: nowIso() };
  const host = (() => {
    try {
      return new URL(c.url ?? '').hostname;
    } catch {
      return '';
    }
  })();
  if (c.kind !== 'email' && host.endsWith('.invalid'))
    return { ...base, status: 'failed', statusCode: null, latencyMs: 12, error: `Cannot connect to ${host}: connection refused` };
  if (c.kind === 'email' && c.smtp?.password?.includes('wrong'))
    return { ...base, status: 'failed', statusCode: 535, latencyMs: 310, error: 'SMTP auth failed (535): check the channel’s username and password' };
  return { ...base, status: 'sent', statusCode: c.kind === 'email' ? 250 : 200, latencyMs: 80 + (base.id % 60), error: null };
}

export const alertsHandlers = [
  // ——— rules ———
  http.get(routePatterns.alertRules, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    const rules = alerts.rules.filter((r) => r.pcode === access.project.pcode).map(toRule);
    return HttpResponse.json({ rules });
  }),

  http.post(routePatterns.alertPreview, async ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    const parsed = alertPreviewRequestSchema.safeParse((await readJson(request)) ?? {});
    if (!parsed.success) return invalid(parsed.error);
    const refs = checkReferences(access.project.pcode, { ...parsed.data.rule, channelIds: [] });
    if (refs) return refs;
    return HttpResponse.json<AlertPreview>(preview(access.project.pcode, parsed.data.rule, parsed.data.range));
  }),

  http.post(routePatterns.alertRules, async ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const parsed = createAlertRuleRequestSchema.safeParse((await readJson(request)) ?? {});
    if (!parsed.success) return invalid(parsed.error);
    const refs = checkReferences(access.project.pcode, parsed.data);
    if (refs) return refs;
    const at = nowIso();
    const rule: MockRule = { ...parsed.data, id: nextId(), pcode: access.project.pcode, createdAt: at, createdBy: access.user.username, updatedAt: at, state: 'ok', evaluatedAt: null };
    alerts.rules.push(rule);
    persist();
    return HttpResponse.json({ rule: toRule(rule) }, { status: 201 });
  }),

  http.get(routePatterns.alertRule, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    const rule = alerts.rules.find((r) => r.pcode === access.project.pcode && r.id === idOf(params.ruleId));
    return rule ? HttpResponse.json({ rule: toRule(rule) }) : notFound('alert rule');
  }),

  http.patch(routePatterns.alertRule, async ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const rule = alerts.rules.find((r) => r.pcode === access.project.pcode && r.id === idOf(params.ruleId));
    if (!rule) return notFound('alert rule');
    const patch = updateAlertRuleRequestSchema.safeParse((await readJson(request)) ?? {});
    if (!patch.success) return invalid(patch.error);
    const { id: _i, pcode: _p, createdAt: _c, createdBy: _b, updatedAt: _u, state: _s, evaluatedAt: _e, ...current } = rule;
    const merged = createAlertRuleRequestSchema.safeParse({ ...current, ...patch.data });
    if (!merged.success) return invalid(merged.error);
    const refs = checkReferences(access.project.pcode, merged.data);
    if (refs) return refs;
    Object.assign(rule, merged.data, { updatedAt: nowIso() });
    if (!rule.enabled) rule.state = 'ok';
    persist();
    return HttpResponse.json({ rule: toRule(rule) });
  }),

  http.delete(routePatterns.alertRule, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const index = alerts.rules.findIndex((r) => r.pcode === access.project.pcode && r.id === idOf(params.ruleId));
    if (index < 0) return notFound('alert rule');
    const [rule] = alerts.rules.splice(index, 1);
    // Its open incidents resolve, as on the collector.
    for (const i of alerts.incidents)
      if (i.ruleId === rule!.id && i.state === 'open') Object.assign(i, { state: 'resolved', resolvedAt: nowIso() });
    persist();
    return new HttpResponse(null, { status: 204 });
  }),

  // ——— incidents ———
  http.get(routePatterns.incidents, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    const q = incidentQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!q.success) return invalid(q.error);
    const incidents = alerts.incidents
      .filter(
        (i) =>
          i.pcode === access.project.pcode &&
          (!q.data.state || i.state === q.data.state) &&
          (!q.data.severity || i.severity === q.data.severity) &&
          (!q.data.ruleId || i.ruleId === q.data.ruleId),
      )
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, q.data.limit)
      .map(toIncident);
    return HttpResponse.json({ incidents });
  }),

  http.get(routePatterns.incident, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    const incident = alerts.incidents.find((i) => i.pcode === access.project.pcode && i.id === idOf(params.id));
    return incident ? HttpResponse.json({ incident: toIncidentDetail(incident) }) : notFound('incident');
  }),

  http.post(routePatterns.incidentAck, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const incident = alerts.incidents.find((i) => i.pcode === access.project.pcode && i.id === idOf(params.id));
    if (!incident) return notFound('incident');
    if (!incident.acknowledgedBy) Object.assign(incident, { acknowledgedBy: access.user.username, acknowledgedAt: nowIso() });
    persist();
    return HttpResponse.json({ incident: toIncidentDetail(incident) });
  }),

  // ——— channels ———
  http.get(routePatterns.alertChannels, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    return HttpResponse.json({ channels: alerts.channels.filter((c) => c.pcode === access.project.pcode).map(toChannel) });
  }),

  http.post(routePatterns.alertChannels, async ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const parsed = createAlertChannelRequestSchema.safeParse((await readJson(request)) ?? {});
    if (!parsed.success) return invalid(parsed.error);
    const channel: MockChannel = { ...parsed.data, id: nextId(), pcode: access.project.pcode, createdAt: nowIso(), createdBy: access.user.username };
    alerts.channels.push(channel);
    persist();
    return HttpResponse.json({ channel: toChannel(channel) }, { status: 201 });
  }),

  http.patch(routePatterns.alertChannel, async ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const channel = alerts.channels.find((c) => c.pcode === access.project.pcode && c.id === idOf(params.channelId));
    if (!channel) return notFound('channel');
    const patch = updateAlertChannelRequestSchema.safeParse((await readJson(request)) ?? {});
    if (!patch.success) return invalid(patch.error);
    const allowed = { webhook: ['name', 'enabled', 'url', 'secret'], slack: ['name', 'enabled', 'url'], email: ['name', 'enabled', 'to', 'smtp'] }[channel.kind];
    const foreign = Object.keys(patch.data).find((k) => !allowed.includes(k));
    if (foreign) return badField(`A ${channel.kind} channel has no ${foreign}.`, foreign);
    const { smtp, ...rest } = patch.data;
    Object.assign(channel, rest);
    if (smtp !== undefined) {
      const old = channel.smtp;
      const keep = smtp && old && smtp.password === undefined && old.host === smtp.host && old.username === smtp.username;
      channel.smtp = smtp && { ...smtp, password: keep ? old.password : smtp.password };
    }
    persist();
    return HttpResponse.json({ channel: toChannel(channel) });
  }),

  http.delete(routePatterns.alertChannel, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const index = alerts.channels.findIndex((c) => c.pcode === access.project.pcode && c.id === idOf(params.channelId));
    if (index < 0) return notFound('channel');
    alerts.channels.splice(index, 1);
    persist();
    return new HttpResponse(null, { status: 204 });
  }),

  http.post(routePatterns.alertChannelTest, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const channel = alerts.channels.find((c) => c.pcode === access.project.pcode && c.id === idOf(params.channelId));
    if (!channel) return notFound('channel');
    const delivery = testDelivery(channel);
    alerts.deliveries.push(delivery);
    persist();
    return HttpResponse.json({ delivery: toDelivery(delivery) });
  }),

  http.get(routePatterns.alertChannelDeliveries, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    const id = idOf(params.channelId);
    if (!alerts.channels.some((c) => c.pcode === access.project.pcode && c.id === id)) return notFound('channel');
    const limit = Math.min(500, Math.max(1, Number(new URL(request.url).searchParams.get('limit') ?? 50) || 50));
    const deliveries = alerts.deliveries
      .filter((d) => d.pcode === access.project.pcode && d.channelId === id)
      .sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id)
      .slice(0, limit)
      .map(toDelivery);
    return HttpResponse.json({ deliveries });
  }),

  // ——— silences ———
  http.get(routePatterns.silences, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode));
    if (access instanceof Response) return access;
    const now = Date.now();
    const silences: Silence[] = alerts.silences
      .filter((s) => s.pcode === access.project.pcode && Date.parse(s.until) > now - 7 * 86_400_000)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map(({ pcode: _p, ...s }) => ({ ...s, active: Date.parse(s.until) > now }));
    return HttpResponse.json({ silences });
  }),

  http.post(routePatterns.silences, async ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const parsed = createSilenceRequestSchema.safeParse((await readJson(request)) ?? {});
    if (!parsed.success) return invalid(parsed.error);
    const until = Date.parse(parsed.data.until);
    if (until <= Date.now()) return badField('until must be in the future.', 'until');
    if (until > Date.now() + 90 * 86_400_000) return badField('until must be at most 90 days ahead.', 'until');
    const { ruleId } = parsed.data;
    if (ruleId !== null && !alerts.rules.some((r) => r.pcode === access.project.pcode && r.id === ruleId))
      return badField(`Unknown rule ${ruleId} in this project.`, 'ruleId');
    const silence = { pcode: access.project.pcode, id: nextId(), ruleId, until: new Date(until).toISOString(), reason: parsed.data.reason, createdBy: access.user.username, createdAt: nowIso() };
    alerts.silences.push(silence);
    persist();
    const { pcode: _p, ...body } = silence;
    return HttpResponse.json({ silence: { ...body, active: true } }, { status: 201 });
  }),

  http.delete(routePatterns.silence, ({ request, params }) => {
    const access = requireMember(request, String(params.pcode), 'member');
    if (access instanceof Response) return access;
    const silence = alerts.silences.find((s) => s.pcode === access.project.pcode && s.id === idOf(params.id));
    if (!silence) return notFound('silence');
    // Ending a silence keeps it in the list as ended, as the collector's history does.
    silence.until = nowIso();
    persist();
    return new HttpResponse(null, { status: 204 });
  }),

  // ——— summary ———
  http.get(routePatterns.alertSummary, ({ request }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    const mine = new Set(db.members.filter((m) => m.userId === user.id).map((m) => m.pcode));
    const byProject = new Map<string, AlertSummary['projects'][number]>();
    for (const i of alerts.incidents) {
      if (i.state !== 'open' || !mine.has(i.pcode)) continue;
      const row = byProject.get(i.pcode);
      if (!row) byProject.set(i.pcode, { pcode: i.pcode, openIncidents: 1, worstSeverity: i.severity });
      else {
        row.openIncidents++;
        if (ALERT_SEVERITY_RANK[i.severity] > ALERT_SEVERITY_RANK[row.worstSeverity]) row.worstSeverity = i.severity;
      }
    }
    return HttpResponse.json<AlertSummary>({ projects: [...byProject.values()] });
  }),
];
