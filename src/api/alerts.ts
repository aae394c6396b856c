import { z } from 'zod';

/*
 * Alerts (issue 14): rules evaluated by the collector every cycle from roll-ups and counters,
 * the incidents they open, the channels that notify, and silences. Routes are in paths.ts;
 * owners and members may change things, viewers may read. Secrets (webhook secret, Slack URL,
 * SMTP password) are write-only: answers say that one is set and show a masked hint.
 */

export const alertSeveritySchema = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;
/** Worst first, for sorting and for "worst severity" badges. */
export const ALERT_SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * What a rule watches, and the unit of its threshold:
 * - `agent_inactive`: an agent sent nothing for more than `threshold` seconds;
 * - `error_count`: errors in the window above `threshold`;
 * - `error_rate`: errors / transactions in the window, percent (0–100), above `threshold`;
 * - `response_time`: `stat` (avg, p95 or p99) of the window, ms, above `threshold`;
 * - `tps_below` / `tps_above`: transactions per second over the window;
 * - `apdex_below`: apdex (0–1) of the window;
 * - `active_slow`: transactions active for ≥ `minSeconds` (3 or 8) above `threshold`, the window's maximum.
 */
export const alertRuleKindSchema = z.enum([
  'agent_inactive',
  'error_count',
  'error_rate',
  'response_time',
  'tps_below',
  'tps_above',
  'apdex_below',
  'active_slow',
]);
export type AlertRuleKind = z.infer<typeof alertRuleKindSchema>;

/** Rules whose threshold is a floor: they fire when the value goes below it. */
export const BELOW_KINDS: readonly AlertRuleKind[] = ['tps_below', 'apdex_below'];
/** Kinds that can watch one transaction name (the others need agent counters). */
export const TRANSACTION_SCOPE_KINDS: readonly AlertRuleKind[] = [
  'error_count',
  'error_rate',
  'response_time',
  'tps_below',
  'tps_above',
];

export const responseTimeStatSchema = z.enum(['avg', 'p95', 'p99']);
export type ResponseTimeStat = z.infer<typeof responseTimeStatSchema>;

/**
 * Where a rule looks. `project`: the whole project as one value (agent_inactive: each agent);
 * `agents`: each listed agent separately (ids from GET …/agents; unknown ids are a 400 naming
 * `scope.agentIds`); `transaction`: one transaction name (URL / route) of the whole project.
 */
export const alertScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('project') }),
  z.object({
    type: z.literal('agents'),
    agentIds: z
      .array(z.number({ invalid_type_error: 'Agent ids must be numbers' }).int().positive())
      .min(1, 'Choose at least one agent')
      .max(500, 'At most 500 agents per rule'),
  }),
  z.object({
    type: z.literal('transaction'),
    name: z.string().trim().min(1, 'Enter a transaction name (URL or route)').max(500),
  }),
]);
export type AlertScope = z.infer<typeof alertScopeSchema>;

/**
 * The repeat schedule while an incident stays open, WhaTap's style: a comma list of delays,
 * each `0` or a number with a unit `m` (minutes), `H` (hours) or `D` (days). The first is the
 * delay after the rule fires, each next one the delay after the previous notification, and the
 * last one repeats: `0,1H,1D` = at once, an hour later, then daily; `0` = once; `5m` = after
 * 5 minutes, then every 5 minutes.
 */
export const REPEAT_PATTERN = /^(0|[1-9]\d{0,4}[mHD])(,(0|[1-9]\d{0,4}[mHD]))*$/;
export const repeatScheduleSchema = z
  .string()
  .trim()
  .max(200)
  .regex(REPEAT_PATTERN, 'Write the repeat schedule as delays like 0,1H,1D (units m, H, D)');

/** Parses a valid repeat schedule into delays in seconds. */
export function parseRepeatSchedule(schedule: string): number[] {
  const unit: Record<string, number> = { m: 60, H: 3600, D: 86400 };
  return schedule
    .trim()
    .split(',')
    .map((part) => (part === '0' ? 0 : Number(part.slice(0, -1)) * unit[part.slice(-1)]!));
}

export const ALERT_WINDOW_MIN_SEC = 60;
export const ALERT_WINDOW_MAX_SEC = 3600;

const thresholdSchema = z
  .number({ invalid_type_error: 'Threshold must be a number', required_error: 'Enter a threshold' })
  .finite('Threshold must be a number')
  .min(0, 'Threshold must be 0 or more');

/** The fields a user sets; POST takes them all (with these defaults), PATCH any subset. */
const alertRuleFields = z
  .object({
    name: z.string().trim().min(1, 'Enter a rule name').max(120, 'Rule name must be at most 120 characters'),
    kind: alertRuleKindSchema,
    /** response_time only. */
    stat: responseTimeStatSchema.default('avg'),
    /** active_slow only: the band counted, transactions active ≥ 3 s or ≥ 8 s. */
    minSeconds: z.union([z.literal(3), z.literal(8)], { errorMap: () => ({ message: 'Band must be 3 or 8 seconds' }) }).default(8),
    scope: alertScopeSchema.default({ type: 'project' }),
    threshold: thresholdSchema,
    windowSec: z
      .number({ invalid_type_error: 'Window must be a number of seconds' })
      .int('Window must be whole seconds')
      .min(ALERT_WINDOW_MIN_SEC, 'Window must be at least 60 seconds')
      .max(ALERT_WINDOW_MAX_SEC, 'Window must be at most 3600 seconds (1 hour)')
      .default(300),
    /** How long the condition must hold before the rule fires (pending until then). */
    forSec: z
      .number({ invalid_type_error: '"For" must be a number of seconds' })
      .int('"For" must be whole seconds')
      .min(0, '"For" must be 0 or more seconds')
      .max(86400, '"For" must be at most 86400 seconds (1 day)')
      .default(0),
    severity: alertSeveritySchema.default('warning'),
    channelIds: z.array(z.number().int().positive()).max(20, 'At most 20 channels per rule').default([]),
    repeat: repeatScheduleSchema.default('0'),
    enabled: z.boolean().default(true),
  })
  .strict();

/** The checks that involve several fields; path names the field the console marks. */
function checkRule(rule: { kind?: AlertRuleKind; scope?: AlertScope; threshold?: number }, ctx: z.RefinementCtx) {
  if (rule.kind && rule.scope?.type === 'transaction' && !TRANSACTION_SCOPE_KINDS.includes(rule.kind))
    ctx.addIssue({ code: 'custom', path: ['scope'], message: 'This kind of rule watches agents; choose the project or some agents' });
  if (rule.kind === 'apdex_below' && rule.threshold !== undefined && rule.threshold > 1)
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'Apdex threshold must be between 0 and 1' });
  if (rule.kind === 'error_rate' && rule.threshold !== undefined && rule.threshold > 100)
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'Error rate threshold is a percentage, 0 to 100' });
  if (rule.kind === 'agent_inactive' && rule.threshold !== undefined && rule.threshold < 10)
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'Inactive threshold must be at least 10 seconds' });
}

/** POST /api/v1/projects/:pcode/alert-rules */
export const createAlertRuleRequestSchema = alertRuleFields.superRefine(checkRule);
export type CreateAlertRuleRequest = z.input<typeof createAlertRuleRequestSchema>;
export type AlertRuleSettings = z.infer<typeof createAlertRuleRequestSchema>;

/**
 * PATCH /api/v1/projects/:pcode/alert-rules/:ruleId — any subset, e.g. `{enabled: false}`; the
 * merged rule is checked again as a whole (400 naming the field).
 */
export const updateAlertRuleRequestSchema = alertRuleFields
  .extend({
    stat: responseTimeStatSchema,
    minSeconds: z.union([z.literal(3), z.literal(8)]),
    scope: alertScopeSchema,
    windowSec: alertRuleFields.shape.windowSec.removeDefault(),
    forSec: alertRuleFields.shape.forSec.removeDefault(),
    severity: alertSeveritySchema,
    channelIds: alertRuleFields.shape.channelIds.removeDefault(),
    repeat: repeatScheduleSchema,
    enabled: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateAlertRuleRequest = z.infer<typeof updateAlertRuleRequestSchema>;

/** The state of one rule for one scope (agent, project or transaction name). */
export const alertStateSchema = z.enum(['ok', 'pending', 'firing']);
export type AlertState = z.infer<typeof alertStateSchema>;

export const alertRuleSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: alertRuleKindSchema,
  stat: responseTimeStatSchema,
  minSeconds: z.union([z.literal(3), z.literal(8)]),
  scope: alertScopeSchema,
  threshold: z.number(),
  windowSec: z.number().int(),
  forSec: z.number().int(),
  severity: alertSeveritySchema,
  channelIds: z.array(z.number().int()),
  repeat: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  /** The worst state over the rule's scopes at the last evaluation (`ok` when never evaluated). */
  state: alertStateSchema,
  /** ISO time of the last evaluation, null before the first. */
  evaluatedAt: z.string().nullable(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** GET /api/v1/projects/:pcode/alert-rules */
export const alertRuleListSchema = z.object({ rules: z.array(alertRuleSchema) });
/** The answer of POST, PATCH and GET …/alert-rules/:ruleId. DELETE answers 204. */
export const alertRuleResponseSchema = z.object({ rule: alertRuleSchema });

/** POST /api/v1/projects/:pcode/alert-rules/preview — the rule as it would be created. */
export const alertPreviewRequestSchema = z
  .object({ rule: createAlertRuleRequestSchema, range: z.enum(['1h', '1d']).default('1h') })
  .strict();
export type AlertPreviewRequest = z.input<typeof alertPreviewRequestSchema>;

export const alertSeriesSchema = z.object({
  /** `project`, `agent:<id>` or `tx:<name>`. */
  key: z.string(),
  /** What to show for it: "Whole project", an agent's object name, a transaction name. Plain text. */
  label: z.string(),
  /** `value` null where there was no data; time in epoch ms. */
  points: z.array(z.object({ time: z.number(), value: z.number().nullable() })),
});
export type AlertSeries = z.infer<typeof alertSeriesSchema>;

export const alertPreviewSchema = z.object({
  /** Epoch ms of the range shown and the distance between points. */
  from: z.number(),
  to: z.number(),
  step: z.number().int(),
  /** The metric's unit for the axis: `ms`, `%`, `count`, `tps`, `apdex`, `s`. */
  unit: z.string(),
  threshold: z.number(),
  /** `above`: fires when a value is over the threshold; `below`: under it. */
  comparison: z.enum(['above', 'below']),
  series: z.array(alertSeriesSchema),
  /** How many times the rule would have fired over the range (with its "for" duration). */
  wouldFire: z.number().int(),
  /** When it would have been firing, epoch ms. */
  firing: z.array(z.object({ key: z.string(), from: z.number(), to: z.number() })),
});
export type AlertPreview = z.infer<typeof alertPreviewSchema>;

// ——— Channels ———

export const alertChannelKindSchema = z.enum(['webhook', 'slack', 'email']);
export type AlertChannelKind = z.infer<typeof alertChannelKindSchema>;

const httpUrlSchema = z
  .string({ required_error: 'Enter a URL' })
  .trim()
  .max(2000, 'URL must be at most 2000 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'URL must start with http:// or https://');

const emailSchema = z.string().trim().email('Enter an email address like ops@example.com').max(254);
const channelNameSchema = z.string().trim().min(1, 'Enter a channel name').max(80, 'Channel name must be at most 80 characters');
const webhookSecretSchema = z
  .string()
  .min(16, 'Secret must be at least 16 characters')
  .max(200, 'Secret must be at most 200 characters');

/** SMTP settings of an email channel; omitted ones come from the collector's `alerts.smtp` config. */
const smtpOverridesSchema = z
  .object({
    host: z.string().trim().min(1, 'Enter the SMTP host').max(253),
    port: z.number({ invalid_type_error: 'Port must be a number' }).int().min(1).max(65535).default(587),
    /** `starttls`: plain then upgrade (587); `tls`: TLS from the start (465); `none`: no TLS (tests, local relays). */
    security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
    username: z.string().max(254).default(''),
    /** Write-only. */
    password: z.string().max(500).optional(),
    from: emailSchema,
  })
  .strict();

/** POST /api/v1/projects/:pcode/alert-channels */
export const createAlertChannelRequestSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('webhook'),
      name: channelNameSchema,
      url: httpUrlSchema,
      /** Signs each body (X-Tapscope-Signature); write-only. */
      secret: webhookSecretSchema,
      enabled: z.boolean().default(true),
    })
    .strict(),
  z
    .object({ kind: z.literal('slack'), name: channelNameSchema, url: httpUrlSchema, enabled: z.boolean().default(true) })
    .strict(),
  z
    .object({
      kind: z.literal('email'),
      name: channelNameSchema,
      to: z.array(emailSchema).min(1, 'Enter at least one recipient').max(50, 'At most 50 recipients'),
      smtp: smtpOverridesSchema.nullable().default(null),
      enabled: z.boolean().default(true),
    })
    .strict(),
]);
export type CreateAlertChannelRequest = z.input<typeof createAlertChannelRequestSchema>;

/**
 * PATCH /api/v1/projects/:pcode/alert-channels/:channelId — the kind cannot change; fields of
 * another kind are a 400. An omitted secret / password / Slack URL keeps the stored one.
 */
export const updateAlertChannelRequestSchema = z
  .object({
    name: channelNameSchema,
    enabled: z.boolean(),
    url: httpUrlSchema,
    secret: webhookSecretSchema,
    to: z.array(emailSchema).min(1, 'Enter at least one recipient').max(50, 'At most 50 recipients'),
    smtp: smtpOverridesSchema.nullable(),
  })
  .partial()
  .strict();
export type UpdateAlertChannelRequest = z.infer<typeof updateAlertChannelRequestSchema>;

const channelBase = {
  id: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
};

export const alertChannelSchema = z.discriminatedUnion('kind', [
  z.object({
    ...channelBase,
    kind: z.literal('webhook'),
    url: z.string(),
    secretSet: z.boolean(),
    /** e.g. `••••••3f9a`: the last 4 characters. */
    secretHint: z.string(),
  }),
  z.object({
    ...channelBase,
    kind: z.literal('slack'),
    /** The incoming-webhook URL is a credential: only its origin and last 4 characters, e.g. `https://hooks.slack.com/••••Xy12`. */
    urlHint: z.string(),
  }),
  z.object({
    ...channelBase,
    kind: z.literal('email'),
    to: z.array(z.string()),
    smtp: z
      .object({
        host: z.string(),
        port: z.number().int(),
        security: z.enum(['starttls', 'tls', 'none']),
        username: z.string(),
        from: z.string(),
        passwordSet: z.boolean(),
      })
      .nullable(),
  }),
]);
export type AlertChannel = z.infer<typeof alertChannelSchema>;

/** GET /api/v1/projects/:pcode/alert-channels */
export const alertChannelListSchema = z.object({ channels: z.array(alertChannelSchema) });
/** The answer of POST and PATCH. DELETE answers 204 (rules keep working without the channel). */
export const alertChannelResponseSchema = z.object({ channel: alertChannelSchema });

/** One attempt to notify a channel (`test` = "send a test notification"). */
export const alertDeliverySchema = z.object({
  id: z.number().int(),
  channelId: z.number().int(),
  /** Null for test notifications. */
  incidentId: z.number().int().nullable(),
  event: z.enum(['test', 'firing', 'repeat', 'resolved']),
  /** `retrying`: failed, another attempt is scheduled; `failed`: gave up. */
  status: z.enum(['sent', 'retrying', 'failed']),
  attempt: z.number().int(),
  /** HTTP status of the receiver, or the SMTP reply code. */
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  /** Why it failed, in words (e.g. "connection refused", "TLS: certificate has expired", "SMTP auth failed (535)"). */
  error: z.string().nullable(),
  at: z.string(),
});
export type AlertDelivery = z.infer<typeof alertDeliverySchema>;

/** POST …/alert-channels/:channelId/test — sends now (one attempt, no retry) and answers its result. */
export const alertTestResultSchema = z.object({ delivery: alertDeliverySchema });
/** GET …/alert-channels/:channelId/deliveries?limit= (newest first, default 50, at most 500) */
export const alertDeliveryListSchema = z.object({ deliveries: z.array(alertDeliverySchema) });
export const alertDeliveryQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

// ——— Incidents ———

export const incidentSchema = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  ruleName: z.string(),
  kind: alertRuleKindSchema,
  severity: alertSeveritySchema,
  /** `project`, `agent:<id>` or `tx:<name>`; with the label to show (plain text). */
  scopeKey: z.string(),
  scopeLabel: z.string(),
  state: z.enum(['open', 'resolved']),
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** The worst value while open, the last one evaluated, and the threshold, in the rule's unit. */
  peakValue: z.number(),
  lastValue: z.number(),
  threshold: z.number(),
  unit: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});
export type Incident = z.infer<typeof incidentSchema>;

/** GET /api/v1/projects/:pcode/incidents?state=&severity=&ruleId=&limit= (newest first) */
export const incidentQuerySchema = z.object({
  state: z.enum(['open', 'resolved']).optional(),
  severity: alertSeveritySchema.optional(),
  ruleId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type IncidentQuery = z.input<typeof incidentQuerySchema>;
export const incidentListSchema = z.object({ incidents: z.array(incidentSchema) });

/** GET …/incidents/:id and the answer of POST …/incidents/:id/ack (owner or member). */
export const incidentDetailSchema = z.object({
  incident: incidentSchema.extend({
    /** The rule as it was when the incident opened (the rule may have changed or been deleted since). */
    rule: alertRuleSchema.omit({ state: true, evaluatedAt: true }),
    notifications: z.array(alertDeliverySchema),
  }),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>['incident'];

// ——— Silences ———

export const silenceSchema = z.object({
  id: z.number().int(),
  /** Null: the whole project is silenced. */
  ruleId: z.number().int().nullable(),
  until: z.string(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** False once `until` has passed. */
  active: z.boolean(),
});
export type Silence = z.infer<typeof silenceSchema>;

/**
 * POST /api/v1/projects/:pcode/silences — while active, incidents still open and resolve but no
 * notification is sent. `until` is an ISO time in the future (at most 90 days ahead).
 */
export const createSilenceRequestSchema = z
  .object({
    ruleId: z.number().int().positive().nullable().default(null),
    until: z
      .string({ required_error: 'Choose until when' })
      .datetime({ offset: true, message: 'until must be an ISO date and time' }),
    reason: z.string().trim().min(1, 'Say why (e.g. "planned maintenance")').max(500),
  })
  .strict();
export type CreateSilenceRequest = z.input<typeof createSilenceRequestSchema>;

/** GET …/silences: active ones and those expired in the last 7 days, newest first. DELETE …/silences/:id: 204. */
export const silenceListSchema = z.object({ silences: z.array(silenceSchema) });
export const silenceResponseSchema = z.object({ silence: silenceSchema });

// ——— Summary ———

/**
 * GET /api/v1/alerts/summary — for the project list and the dashboard: each project the user is
 * a member of that has open incidents (projects without any are left out).
 */
export const alertSummarySchema = z.object({
  projects: z.array(
    z.object({ pcode: z.string(), openIncidents: z.number().int().positive(), worstSeverity: alertSeveritySchema }),
  ),
});
export type AlertSummary = z.infer<typeof alertSummarySchema>;
