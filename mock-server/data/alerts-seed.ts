import type {
  AlertChannelKind,
  AlertDelivery,
  AlertRule,
  Incident,
  IncidentDetail,
  Silence,
  UpdateAlertChannelRequest,
} from '../../src/api/alerts';
import { MOCK_PCODE } from './agents';

/** A channel as the mock stores it: with its secrets, which the API never answers. */
export interface MockChannel {
  id: number;
  pcode: string;
  kind: AlertChannelKind;
  name: string;
  enabled: boolean;
  createdAt: string;
  createdBy: string;
  /** Webhook and Slack: the URL (a credential for Slack). */
  url?: string;
  /** Webhook: the signing secret. */
  secret?: string;
  to?: string[];
  /** As the contract parses it (host, port, security, username, password, from). */
  smtp?: NonNullable<UpdateAlertChannelRequest['smtp']> | null;
}

export type MockRule = AlertRule & { pcode: string };
export type MockIncident = Incident & { pcode: string; rule: IncidentDetail['rule'] };
export type MockDelivery = AlertDelivery & { pcode: string };
export type MockSilence = Omit<Silence, 'active'> & { pcode: string };

export interface MockAlertState {
  rules: MockRule[];
  channels: MockChannel[];
  incidents: MockIncident[];
  deliveries: MockDelivery[];
  silences: MockSilence[];
  nextId: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The rule without its live fields, as an incident keeps it. */
export function ruleSnapshot({ pcode: _p, state: _s, evaluatedAt: _e, ...rule }: MockRule): IncidentDetail['rule'] {
  return rule;
}

/**
 * What `npm run dev` shows on the Alerts page of the demo shop: four rules (one firing on the
 * inactive agent, one disabled), an open critical incident with its notifications (one failed
 * by SMTP auth), two resolved ones, three channels with deliveries, an active and an ended
 * silence. The second project has none of it, for the empty states.
 */
export function seedAlerts(now: number = Date.now()): MockAlertState {
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
  const pcode = MOCK_PCODE;
  const base = { pcode, stat: 'avg' as const, minSeconds: 8 as const, createdBy: 'admin', createdAt: iso(20 * 24 * HOUR), updatedAt: iso(2 * 24 * HOUR), evaluatedAt: iso(4_000) };
  const rules: MockRule[] = [
    { ...base, id: 1, name: 'Checkout is slow', kind: 'response_time', scope: { type: 'project' }, threshold: 800, windowSec: 300, forSec: 60, severity: 'critical', channelIds: [1, 2], repeat: '0,1H,1D', enabled: true, state: 'ok' },
    { ...base, id: 2, name: 'Error rate over 5%', kind: 'error_rate', scope: { type: 'project' }, threshold: 5, windowSec: 600, forSec: 0, severity: 'warning', channelIds: [2], repeat: '0', enabled: true, state: 'ok' },
    { ...base, id: 3, name: 'Agent stopped sending', kind: 'agent_inactive', scope: { type: 'project' }, threshold: 120, windowSec: 300, forSec: 0, severity: 'critical', channelIds: [1, 2, 3], repeat: '0,1H,1D', enabled: true, state: 'firing' },
    { ...base, id: 4, name: 'No traffic on web-3', kind: 'tps_below', scope: { type: 'agents', agentIds: [3] }, threshold: 1, windowSec: 900, forSec: 300, severity: 'info', channelIds: [], repeat: '0', enabled: false, state: 'ok', evaluatedAt: null },
  ];
  const snap = (id: number) => ruleSnapshot(rules.find((r) => r.id === id)!);
  const incidents: MockIncident[] = [
    { pcode, id: 3, ruleId: 3, ruleName: 'Agent stopped sending', kind: 'agent_inactive', severity: 'critical', scopeKey: 'agent:4', scopeLabel: 'shop-0-14-uwsgi', state: 'open', startedAt: iso(23 * MIN), resolvedAt: null, peakValue: 1500, lastValue: 1500, threshold: 120, unit: 's', acknowledgedBy: null, acknowledgedAt: null, rule: snap(3) },
    { pcode, id: 2, ruleId: 1, ruleName: 'Checkout is slow', kind: 'response_time', severity: 'critical', scopeKey: 'project', scopeLabel: 'Whole project', state: 'resolved', startedAt: iso(3 * HOUR), resolvedAt: iso(2 * HOUR + 38 * MIN), peakValue: 1342, lastValue: 612, threshold: 800, unit: 'ms', acknowledgedBy: 'dana', acknowledgedAt: iso(2 * HOUR + 55 * MIN), rule: snap(1) },
    { pcode, id: 1, ruleId: 2, ruleName: 'Error rate over 5%', kind: 'error_rate', severity: 'warning', scopeKey: 'project', scopeLabel: 'Whole project', state: 'resolved', startedAt: iso(26 * HOUR), resolvedAt: iso(25 * HOUR + 50 * MIN), peakValue: 7.4, lastValue: 3.1, threshold: 5, unit: '%', acknowledgedBy: null, acknowledgedAt: null, rule: snap(2) },
  ];
  const channels: MockChannel[] = [
    { id: 1, pcode, kind: 'webhook', name: 'Ops webhook', enabled: true, createdAt: iso(20 * 24 * HOUR), createdBy: 'admin', url: 'https://ops.example.com/hooks/tapscope', secret: 'mock-secret-0123456789-3f9a' },
    { id: 2, pcode, kind: 'slack', name: '#shop-alerts', enabled: true, createdAt: iso(20 * 24 * HOUR), createdBy: 'admin', url: 'https://hooks.slack.com/services/T000/B000/mockXy12' },
    { id: 3, pcode, kind: 'email', name: 'On-call email', enabled: true, createdAt: iso(9 * 24 * HOUR), createdBy: 'dana', to: ['oncall@example.com', 'dana@example.com'], smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'alerts', password: 'wrong-password', from: 'tapscope@example.com' } },
  ];
  const d = (id: number, channelId: number, incidentId: number | null, event: AlertDelivery['event'], msAgo: number, rest: Partial<AlertDelivery>): MockDelivery => ({
    pcode, id, channelId, incidentId, event, status: 'sent', attempt: 1, statusCode: 200, latencyMs: 120, error: null, at: iso(msAgo), ...rest,
  });
  const deliveries: MockDelivery[] = [
    d(1, 2, 1, 'firing', 26 * HOUR, { latencyMs: 210 }),
    d(2, 2, 1, 'resolved', 25 * HOUR + 50 * MIN, { latencyMs: 190 }),
    d(3, 1, 2, 'firing', 3 * HOUR, { latencyMs: 84 }),
    d(4, 2, 2, 'firing', 3 * HOUR, { latencyMs: 230 }),
    d(5, 1, 2, 'resolved', 2 * HOUR + 38 * MIN, { latencyMs: 77 }),
    d(6, 2, 2, 'resolved', 2 * HOUR + 38 * MIN, { latencyMs: 199 }),
    d(7, 1, 3, 'firing', 23 * MIN, { statusCode: 503, latencyMs: 1020, status: 'retrying', error: 'The receiver answered 503 Service Unavailable' }),
    d(8, 1, 3, 'firing', 22 * MIN, { attempt: 2, latencyMs: 91 }),
    d(9, 2, 3, 'firing', 23 * MIN, { latencyMs: 244 }),
    d(10, 3, 3, 'firing', 23 * MIN, { status: 'failed', attempt: 3, statusCode: 535, latencyMs: 310, error: 'SMTP auth failed (535): check the channel’s username and password' }),
    d(11, 3, null, 'test', 9 * 24 * HOUR, { statusCode: 250, latencyMs: 420 }),
  ];
  const silences: MockSilence[] = [
    { pcode, id: 1, ruleId: 4, until: iso(-3 * HOUR), reason: 'web-3 is drained for the kernel upgrade', createdBy: 'dana', createdAt: iso(HOUR) },
    { pcode, id: 2, ruleId: null, until: iso(2 * 24 * HOUR), reason: 'Database migration window', createdBy: 'admin', createdAt: iso(2 * 24 * HOUR + 2 * HOUR) },
  ];
  return { rules, channels, incidents, deliveries, silences, nextId: 100 };
}

// ——— preview: the rule's metric, made up from smooth curves and one bad spell ———

export interface PreviewSeriesInput {
  key: string;
  label: string;
  /** Agent id for per-agent kinds (agent_inactive), to make the inactive agent look inactive. */
  agentId?: number;
  /** Ms since the agent was last seen, for agent_inactive; null when it is active. */
  silentSince?: number | null;
}

const BASE: Record<string, [base: number, amplitude: number, spike: number]> = {
  response_time: [260, 90, 900],
  error_rate: [1.5, 1, 6],
  error_count: [4, 3, 30],
  tps_above: [95, 25, 60],
  tps_below: [95, 25, -90],
  apdex_below: [0.93, 0.03, -0.35],
  active_slow: [0.3, 0.3, 4],
};

function hash(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 9973;
  return h;
}

/** One value of a made-up metric at `t`; a bad spell 2h55–2h40 ago and 40–34 min ago. */
export function previewValue(kind: string, key: string, t: number, now: number): number {
  const [base, amp, spike] = BASE[kind] ?? [1, 0.5, 2];
  const phase = hash(key) / 100;
  let v = base + amp * Math.sin(t / 600_000 + phase) * 0.8 + amp * 0.2 * Math.sin(t / 97_000 + phase * 3);
  const ago = now - t;
  if ((ago > 160 * MIN && ago < 175 * MIN) || (ago > 34 * MIN && ago < 40 * MIN)) v += spike;
  return Math.max(0, kind === 'apdex_below' ? Math.min(1, v) : v);
}

/** When a condition held for at least `forSec`, as [from, to] ranges of the points' times. */
export function firingRanges(
  points: ReadonlyArray<{ time: number; value: number | null }>,
  holds: (v: number) => boolean,
  forSec: number,
  step: number,
): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  let runStart: number | null = null;
  let firingFrom: number | null = null;
  for (const p of points) {
    if (p.value !== null && holds(p.value)) {
      runStart ??= p.time;
      if (firingFrom === null && p.time - runStart >= forSec * 1000) firingFrom = p.time;
    } else {
      if (firingFrom !== null) out.push({ from: firingFrom, to: p.time });
      runStart = null;
      firingFrom = null;
    }
  }
  const last = points[points.length - 1];
  if (firingFrom !== null && last) out.push({ from: firingFrom, to: last.time + step });
  return out;
}
