import type { AlertChannel, AlertDelivery, AlertRule, AlertState, Incident, IncidentDetail, Silence } from '../../src/api/alerts';
import type { ChannelRow, DeliveryRow, IncidentRow, RuleRow, ScopeStateRow, SilenceRow } from './store/alert-store';

const iso = (t: number) => new Date(t).toISOString();
const isoOrNull = (t: number | null) => (t === null ? null : iso(t));

const STATE_RANK: Record<AlertState, number> = { ok: 0, pending: 1, firing: 2 };

/** A rule as the API answers it: its worst state over its scopes, and when rules were last evaluated. */
export function toApiRule(r: RuleRow, states: readonly ScopeStateRow[], lastCycle: number | null): AlertRule {
  let state: AlertState = 'ok';
  for (const s of states) if (s.ruleId === r.id && STATE_RANK[s.state] > STATE_RANK[state]) state = s.state;
  return {
    ...ruleSnapshot(r),
    state: r.enabled ? state : 'ok',
    evaluatedAt: r.enabled && lastCycle !== null && lastCycle >= r.updatedAt ? iso(lastCycle) : null,
  };
}

function ruleSnapshot(r: RuleRow): IncidentDetail['rule'] {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    stat: r.stat,
    minSeconds: r.minSeconds,
    scope: r.scope,
    threshold: r.threshold,
    windowSec: r.windowSec,
    forSec: r.forSec,
    severity: r.severity,
    channelIds: r.channelIds,
    repeat: r.repeat,
    enabled: r.enabled,
    createdAt: iso(r.createdAt),
    createdBy: r.createdBy,
    updatedAt: iso(r.updatedAt),
  };
}

export function toApiIncident(i: IncidentRow): Incident {
  return {
    id: i.id,
    ruleId: i.ruleId,
    ruleName: i.ruleName,
    kind: i.kind,
    severity: i.severity,
    scopeKey: i.scopeKey,
    scopeLabel: i.scopeLabel,
    state: i.state,
    startedAt: iso(i.startedAt),
    resolvedAt: isoOrNull(i.resolvedAt),
    peakValue: i.peakValue,
    lastValue: i.lastValue,
    threshold: i.threshold,
    unit: i.unit,
    acknowledgedBy: i.acknowledgedBy,
    acknowledgedAt: isoOrNull(i.acknowledgedAt),
  };
}

export function toApiIncidentDetail(i: IncidentRow, deliveries: readonly DeliveryRow[]): IncidentDetail {
  return {
    ...toApiIncident(i),
    rule: ruleSnapshot(i.rule),
    notifications: deliveries.map(toApiDelivery),
  };
}

export function toApiDelivery(d: DeliveryRow): AlertDelivery {
  return {
    id: d.id,
    channelId: d.channelId,
    incidentId: d.incidentId,
    event: d.event,
    status: d.status,
    attempt: d.attempt,
    statusCode: d.statusCode,
    latencyMs: d.latencyMs,
    error: d.error,
    at: iso(d.at),
  };
}

/** The last 4 characters, the rest hidden: enough to tell two secrets apart. */
export const secretHint = (s: string) => `••••••${s.slice(-4)}`;

/** A Slack URL carries its token in the path: only the origin and the last 4 characters show. */
export function urlHint(url: string): string {
  try {
    return `${new URL(url).origin}/••••${url.slice(-4)}`;
  } catch {
    return '••••';
  }
}

/** A webhook URL as shown: a password in it is hidden. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '••••';
    return u.toString();
  } catch {
    return url;
  }
}

/** A channel without its secrets: the webhook secret, the Slack URL and the SMTP password never leave the collector. */
export function toApiChannel(c: ChannelRow): AlertChannel {
  const base = {
    id: c.id,
    name: c.name,
    enabled: c.enabled,
    createdAt: iso(c.createdAt),
    createdBy: c.createdBy,
  };
  const cfg = c.config;
  switch (c.kind) {
    case 'webhook':
      return {
        ...base,
        kind: 'webhook',
        url: shownUrl(cfg.url ?? ''),
        secretSet: !!cfg.secret,
        secretHint: cfg.secret ? secretHint(cfg.secret) : '',
      };
    case 'slack':
      return { ...base, kind: 'slack', urlHint: urlHint(cfg.url ?? '') };
    case 'email': {
      const smtp = cfg.smtp;
      return {
        ...base,
        kind: 'email',
        to: cfg.to ?? [],
        smtp: smtp
          ? {
              host: smtp.host,
              port: smtp.port,
              security: smtp.security,
              username: smtp.username,
              from: smtp.from,
              passwordSet: !!smtp.password,
            }
          : null,
      };
    }
  }
}

export function toApiSilence(s: SilenceRow, now: number): Silence {
  return {
    id: s.id,
    ruleId: s.ruleId,
    until: iso(s.until),
    reason: s.reason,
    createdBy: s.createdBy,
    createdAt: iso(s.createdAt),
    active: s.until > now,
  };
}
