import type {
  AlertChannelKind,
  AlertRuleKind,
  AlertScope,
  AlertSeverity,
  AlertState,
  ResponseTimeStat,
  UpdateAlertChannelRequest,
} from '../../../src/api/alerts';

/*
 * The alert store: rules, their per-scope state, incidents, channels, the notification outbox
 * with its delivery log, silences, and the evaluation lease. Its own narrow interface (the meta
 * store stays as it is); one implementation over portable SQL (sql-alert-store.ts) runs on the
 * SQLite file `alerts.sqlite` and on the PostgreSQL meta database, each with its own migrations.
 * Times are epoch ms.
 */

export interface RuleSettings {
  name: string;
  kind: AlertRuleKind;
  stat: ResponseTimeStat;
  minSeconds: 3 | 8;
  scope: AlertScope;
  threshold: number;
  windowSec: number;
  forSec: number;
  severity: AlertSeverity;
  channelIds: number[];
  repeat: string;
  enabled: boolean;
}

export interface RuleRow extends RuleSettings {
  id: number;
  pcode: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

/** One rule's state for one scope key (`project`, `agent:<id>`, `tx:<name>`). */
export interface ScopeStateRow {
  ruleId: number;
  scopeKey: string;
  state: AlertState;
  /** When the current state began. */
  since: number;
  value: number | null;
  evaluatedAt: number;
  /** The open incident while firing. */
  incidentId: number | null;
  /** While firing: when the next notification is due (null: none left), and how many were sent. */
  nextNotifyAt: number | null;
  notified: number;
}

export interface IncidentRow {
  id: number;
  pcode: string;
  ruleId: number;
  ruleName: string;
  kind: AlertRuleKind;
  severity: AlertSeverity;
  scopeKey: string;
  scopeLabel: string;
  state: 'open' | 'resolved';
  startedAt: number;
  resolvedAt: number | null;
  peakValue: number;
  lastValue: number;
  threshold: number;
  unit: string;
  rule: RuleRow;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
}

export type NewIncident = Omit<IncidentRow, 'id' | 'state' | 'resolvedAt' | 'acknowledgedBy' | 'acknowledgedAt'>;

/** Channel settings as stored; the secret fields are only ever read by the senders. */
export interface ChannelConfig {
  url?: string;
  /** webhook: the HMAC key. */
  secret?: string;
  to?: string[];
  /** As the contract parses it (host, port, security, username, password, from). */
  smtp?: NonNullable<UpdateAlertChannelRequest['smtp']> | null;
}

export interface ChannelRow {
  id: number;
  pcode: string;
  name: string;
  kind: AlertChannelKind;
  enabled: boolean;
  config: ChannelConfig;
  createdAt: number;
  createdBy: string;
}

export type NotificationEvent = 'firing' | 'repeat' | 'resolved';

/** A notification to send to one channel, claimed by one collector at a time. */
export interface OutboxRow {
  id: number;
  pcode: string;
  incidentId: number;
  channelId: number;
  event: NotificationEvent;
  /** 0 for the first notification of an incident, 1, 2 … for repeats. */
  seq: number;
  attempts: number;
  nextAttemptAt: number;
}

export interface DeliveryRow {
  id: number;
  pcode: string;
  channelId: number;
  incidentId: number | null;
  event: 'test' | NotificationEvent;
  status: 'sent' | 'retrying' | 'failed';
  attempt: number;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  at: number;
}

export interface SilenceRow {
  id: number;
  pcode: string;
  ruleId: number | null;
  until: number;
  reason: string;
  createdBy: string;
  createdAt: number;
}

export interface IncidentFilter {
  state?: 'open' | 'resolved';
  severity?: AlertSeverity;
  ruleId?: number;
  limit: number;
}

export interface AlertStore {
  // rules
  createRule(pcode: string, settings: RuleSettings, by: string, at: number): Promise<RuleRow>;
  getRule(pcode: string, id: number): Promise<RuleRow | null>;
  listRules(pcode: string): Promise<RuleRow[]>;
  /** Every enabled rule of every project (the evaluator's read). */
  listEnabledRules(): Promise<RuleRow[]>;
  updateRule(pcode: string, id: number, settings: RuleSettings, at: number): Promise<RuleRow | null>;
  /** Deletes the rule and its states; its incidents stay (with their rule snapshot). */
  deleteRule(pcode: string, id: number): Promise<boolean>;

  // per-scope state
  listStates(ruleIds: readonly number[]): Promise<ScopeStateRow[]>;
  saveStates(states: readonly ScopeStateRow[]): Promise<void>;
  deleteStates(keys: ReadonlyArray<{ ruleId: number; scopeKey: string }>): Promise<void>;

  // incidents
  /** Opens an incident; null when one is already open for the rule and scope (another collector did it). */
  openIncident(incident: NewIncident): Promise<IncidentRow | null>;
  /** openIncident for many, in one transaction; the answers in the same order. */
  openIncidents(incidents: readonly NewIncident[]): Promise<Array<IncidentRow | null>>;
  /** Records each open incident's latest value, and it as the peak when worse (`below`: lower is worse). */
  updateIncidentValues(updates: ReadonlyArray<{ id: number; lastValue: number; below: boolean }>): Promise<void>;
  resolveIncident(id: number, at: number, lastValue: number | null): Promise<IncidentRow | null>;
  /** Resolves many in one transaction; answers the ids that were open (and so are resolved by this call). */
  resolveIncidents(items: ReadonlyArray<{ id: number; at: number; lastValue: number | null }>): Promise<Set<number>>;
  getIncident(pcode: string, id: number): Promise<IncidentRow | null>;
  listIncidents(pcode: string, filter: IncidentFilter): Promise<IncidentRow[]>;
  acknowledgeIncident(pcode: string, id: number, by: string, at: number): Promise<IncidentRow | null>;
  /** Open incident counts and the worst severity per project, for the given projects. */
  openIncidentSummary(pcodes: readonly string[]): Promise<Array<{ pcode: string; open: number; worst: AlertSeverity }>>;

  // channels
  createChannel(channel: Omit<ChannelRow, 'id'>): Promise<ChannelRow>;
  getChannel(pcode: string, id: number): Promise<ChannelRow | null>;
  listChannels(pcode: string): Promise<ChannelRow[]>;
  updateChannel(pcode: string, id: number, patch: Pick<ChannelRow, 'name' | 'enabled' | 'config'>): Promise<ChannelRow | null>;
  deleteChannel(pcode: string, id: number): Promise<boolean>;

  // notifications
  /** Queues notifications; a (incident, channel, event, seq) already queued is skipped, so a notification exists once. */
  enqueue(items: ReadonlyArray<Omit<OutboxRow, 'id' | 'attempts'>>): Promise<number>;
  /** Claims up to `limit` due notifications for `holder` until `until` (no other collector gets them meanwhile). */
  claimDue(holder: string, now: number, until: number, limit: number): Promise<OutboxRow[]>;
  /** After an attempt: done (sent, or gave up), or due again at `nextAttemptAt`. */
  finishAttempt(id: number, done: boolean, nextAttemptAt: number): Promise<void>;
  recordDelivery(delivery: Omit<DeliveryRow, 'id'>): Promise<DeliveryRow>;
  listDeliveries(pcode: string, where: { channelId?: number; incidentId?: number }, limit: number): Promise<DeliveryRow[]>;

  // silences
  createSilence(silence: Omit<SilenceRow, 'id'>): Promise<SilenceRow>;
  /** Active ones and those that ended after `since`. */
  listSilences(pcode: string, since: number): Promise<SilenceRow[]>;
  deleteSilence(pcode: string, id: number): Promise<SilenceRow | null>;
  /** Silences active at `now`, of every project (the evaluator's read). */
  activeSilences(now: number): Promise<SilenceRow[]>;

  /** Everything of a deleted project. */
  deleteProject(pcode: string): Promise<void>;

  /**
   * Takes or renews the lease `name` for `holder` until `until`: true when `holder` holds it
   * (it was free, expired, or already its own). Several collectors: one evaluates at a time.
   */
  acquireLease(name: string, holder: string, now: number, until: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  /** When the last evaluation cycle (of any collector) finished; null before the first. */
  recordCycle(at: number): Promise<void>;
  lastCycle(): Promise<number | null>;

  close(): Promise<void>;
}
