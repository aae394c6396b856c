import {
  createAlertRuleRequestSchema,
  type AlertRule,
  type AlertRuleKind,
  type AlertSeverity,
  type CreateAlertRuleRequest,
  type ResponseTimeStat,
} from '../../../api/alerts';

export const RULE_FIELDS = [
  'name',
  'kind',
  'stat',
  'minSeconds',
  'scope',
  'threshold',
  'windowSec',
  'forSec',
  'severity',
  'channelIds',
  'repeat',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

/** The rule form as the user edits it: numbers stay text until sent, so "abc" reaches the API as what it is. */
export interface RuleFormValues {
  name: string;
  kind: AlertRuleKind;
  stat: ResponseTimeStat;
  minSeconds: 3 | 8;
  scopeType: 'project' | 'agents' | 'transaction';
  agentIds: number[];
  transaction: string;
  threshold: string;
  windowSec: number;
  forSec: number;
  severity: AlertSeverity;
  channelIds: number[];
  repeat: string;
  enabled: boolean;
}

/** A sensible threshold to start from for each kind. */
export const DEFAULT_THRESHOLDS: Record<AlertRuleKind, string> = {
  response_time: '500',
  error_rate: '5',
  error_count: '10',
  tps_above: '100',
  tps_below: '1',
  apdex_below: '0.8',
  active_slow: '1',
  agent_inactive: '60',
};

export const WINDOW_CHOICES = [60, 120, 300, 600, 900, 1800, 3600];
export const FOR_CHOICES = [0, 30, 60, 120, 300, 600, 900, 1800, 3600];

export function emptyRuleForm(): RuleFormValues {
  return {
    name: '',
    kind: 'response_time',
    stat: 'avg',
    minSeconds: 8,
    scopeType: 'project',
    agentIds: [],
    transaction: '',
    threshold: DEFAULT_THRESHOLDS.response_time,
    windowSec: 300,
    forSec: 0,
    severity: 'warning',
    channelIds: [],
    repeat: '0,1H,1D',
    enabled: true,
  };
}

export function ruleToForm(rule: AlertRule): RuleFormValues {
  return {
    name: rule.name,
    kind: rule.kind,
    stat: rule.stat,
    minSeconds: rule.minSeconds,
    scopeType: rule.scope.type,
    agentIds: rule.scope.type === 'agents' ? rule.scope.agentIds : [],
    transaction: rule.scope.type === 'transaction' ? rule.scope.name : '',
    threshold: String(rule.threshold),
    windowSec: rule.windowSec,
    forSec: rule.forSec,
    severity: rule.severity,
    channelIds: rule.channelIds,
    repeat: rule.repeat,
    enabled: rule.enabled,
  };
}

/** The text of a number field as the API should get it: a number when it is one, else as typed (the API names the field). */
function numberOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** The request body for the form's values (create, or the whole rule on edit). */
export function formToRequest(v: RuleFormValues): CreateAlertRuleRequest {
  const scope =
    v.scopeType === 'agents'
      ? { type: 'agents' as const, agentIds: v.agentIds }
      : v.scopeType === 'transaction'
        ? { type: 'transaction' as const, name: v.transaction }
        : { type: 'project' as const };
  return {
    name: v.name,
    kind: v.kind,
    stat: v.stat,
    minSeconds: v.minSeconds,
    scope,
    // Kept as typed when it is not a number: the API's answer names the field.
    threshold: numberOrText(v.threshold) as number,
    windowSec: v.windowSec,
    forSec: v.forSec,
    severity: v.severity,
    channelIds: v.channelIds,
    repeat: v.repeat,
    enabled: v.enabled,
  };
}

/**
 * The rule to preview, or null while the draft is not a valid rule yet (the preview then says
 * what to fix). The name does not matter to the preview, so a missing one is filled in.
 */
export function previewRequest(v: RuleFormValues): CreateAlertRuleRequest | null {
  const body = { ...formToRequest(v), name: v.name.trim() || 'preview', channelIds: [] };
  return createAlertRuleRequestSchema.safeParse(body).success ? body : null;
}
