import type { AlertSeverity } from '../../../src/api/alerts';
import type {
  ChannelRow,
  DeliveryRow,
  IncidentRow,
  OutboxRow,
  RuleRow,
  RuleSettings,
  ScopeStateRow,
  SilenceRow,
} from './alert-store';

/* Rows as both drivers return them: snake_case, times and ids as numbers, booleans as 0 / 1. */

export interface RuleDb {
  id: number;
  pcode: string;
  settings: string;
  created_at: number;
  created_by: string;
  updated_at: number;
}
export const toRule = (r: RuleDb): RuleRow => ({
  ...(JSON.parse(r.settings) as RuleSettings),
  id: r.id,
  pcode: r.pcode,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
});

export interface StateDb {
  rule_id: number;
  scope_key: string;
  state: ScopeStateRow['state'];
  since: number;
  value: number | null;
  evaluated_at: number;
  incident_id: number | null;
  next_notify_at: number | null;
  notified: number;
}
export const toState = (r: StateDb): ScopeStateRow => ({
  ruleId: r.rule_id,
  scopeKey: r.scope_key,
  state: r.state,
  since: r.since,
  value: r.value,
  evaluatedAt: r.evaluated_at,
  incidentId: r.incident_id,
  nextNotifyAt: r.next_notify_at,
  notified: r.notified,
});

export interface IncidentDb {
  id: number;
  pcode: string;
  rule_id: number;
  rule_name: string;
  kind: IncidentRow['kind'];
  severity: AlertSeverity;
  scope_key: string;
  scope_label: string;
  open_key: string | null;
  started_at: number;
  resolved_at: number | null;
  peak_value: number;
  last_value: number;
  threshold: number;
  unit: string;
  rule_snapshot: string;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
}
export const toIncident = (r: IncidentDb): IncidentRow => ({
  id: r.id,
  pcode: r.pcode,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  kind: r.kind,
  severity: r.severity,
  scopeKey: r.scope_key,
  scopeLabel: r.scope_label,
  state: r.open_key === null ? 'resolved' : 'open',
  startedAt: r.started_at,
  resolvedAt: r.resolved_at,
  peakValue: r.peak_value,
  lastValue: r.last_value,
  threshold: r.threshold,
  unit: r.unit,
  rule: JSON.parse(r.rule_snapshot) as RuleRow,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
});

export interface ChannelDb {
  id: number;
  pcode: string;
  name: string;
  kind: ChannelRow['kind'];
  enabled: number;
  config: string;
  created_at: number;
  created_by: string;
}
export const toChannel = (r: ChannelDb): ChannelRow => ({
  id: r.id,
  pcode: r.pcode,
  name: r.name,
  kind: r.kind,
  enabled: r.enabled === 1,
  config: JSON.parse(r.config) as ChannelRow['config'],
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export interface OutboxDb {
  id: number;
  pcode: string;
  incident_id: number;
  channel_id: number;
  event: OutboxRow['event'];
  seq: number;
  attempts: number;
  next_attempt_at: number;
}
export const toOutbox = (r: OutboxDb): OutboxRow => ({
  id: r.id,
  pcode: r.pcode,
  incidentId: r.incident_id,
  channelId: r.channel_id,
  event: r.event,
  seq: r.seq,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
});

export interface DeliveryDb {
  id: number;
  pcode: string;
  channel_id: number;
  incident_id: number | null;
  event: DeliveryRow['event'];
  status: DeliveryRow['status'];
  attempt: number;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
  at: number;
}
export const toDelivery = (r: DeliveryDb): DeliveryRow => ({
  id: r.id,
  pcode: r.pcode,
  channelId: r.channel_id,
  incidentId: r.incident_id,
  event: r.event,
  status: r.status,
  attempt: r.attempt,
  statusCode: r.status_code,
  latencyMs: r.latency_ms,
  error: r.error,
  at: r.at,
});

export interface SilenceDb {
  id: number;
  pcode: string;
  rule_id: number | null;
  until: number;
  reason: string;
  created_by: string;
  created_at: number;
}
export const toSilence = (r: SilenceDb): SilenceRow => ({
  id: r.id,
  pcode: r.pcode,
  ruleId: r.rule_id,
  until: r.until,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const settingsJson = (s: RuleSettings) =>
  JSON.stringify({
    name: s.name,
    kind: s.kind,
    stat: s.stat,
    minSeconds: s.minSeconds,
    scope: s.scope,
    threshold: s.threshold,
    windowSec: s.windowSec,
    forSec: s.forSec,
    severity: s.severity,
    channelIds: s.channelIds,
    repeat: s.repeat,
    enabled: s.enabled,
  } satisfies RuleSettings);
