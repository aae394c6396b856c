import { BELOW_KINDS } from '../../../src/api/alerts';
import type { IncidentRow, NotificationEvent } from '../store/alert-store';

/** What every channel says about one event, built once; the senders shape it their way. */
export interface Notification {
  event: NotificationEvent | 'test';
  /** Epoch ms. */
  sentAt: number;
  project: { pcode: string; name: string };
  /** Null for a test notification. */
  incident: IncidentRow | null;
  /** The console page of the incident (or of the project's alerts for a test). */
  link: string;
}

/**
 * The documented webhook body (docs/alerts.md), version 1. Every string in it may come from
 * users or traced apps (rule names, agent names, transaction URLs): receivers treat it as text.
 */
export function webhookBody(n: Notification): Record<string, unknown> {
  const i = n.incident;
  return {
    version: 1,
    event: n.event,
    sentAt: new Date(n.sentAt).toISOString(),
    project: n.project,
    incident: i && {
      id: i.id,
      state: i.state,
      severity: i.severity,
      startedAt: new Date(i.startedAt).toISOString(),
      resolvedAt: i.resolvedAt === null ? null : new Date(i.resolvedAt).toISOString(),
      value: i.lastValue,
      peakValue: i.peakValue,
      threshold: i.threshold,
      unit: i.unit,
      scope: { key: i.scopeKey, label: i.scopeLabel },
      acknowledgedBy: i.acknowledgedBy,
    },
    rule: i && {
      id: i.ruleId,
      name: i.ruleName,
      kind: i.kind,
      stat: i.rule.stat,
      comparison: BELOW_KINDS.includes(i.kind) ? 'below' : 'above',
      windowSec: i.rule.windowSec,
      forSec: i.rule.forSec,
    },
    url: n.link,
  };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1));

/** One line a person reads: "[CRITICAL] Slow checkout — Whole project: 812 ms (threshold 500 ms)". */
export function summaryLine(n: Notification): string {
  const i = n.incident;
  if (!i) return `Test notification from Tapscope for project ${n.project.name}`;
  const what = n.event === 'resolved' ? 'resolved' : n.event === 'repeat' ? 'still firing' : 'firing';
  const unit = i.unit === 'count' ? '' : i.unit === '%' ? '%' : ` ${i.unit}`;
  const comparison = BELOW_KINDS.includes(i.kind) ? 'below' : 'above';
  return (
    `[${i.severity.toUpperCase()}] ${i.ruleName} ${what} — ${i.scopeLabel}: ${fmt(i.lastValue)}${unit} ` +
    `(${comparison} ${fmt(i.threshold)}${unit}; peak ${fmt(i.peakValue)}${unit})`
  );
}

/** Incident link at its time range (console route /projects/:pcode/alerts/incidents/:id). */
export function incidentLink(consoleUrl: string, pcode: string, incident: IncidentRow | null): string {
  const base = `${consoleUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(pcode)}/alerts`;
  return incident ? `${base}/incidents/${incident.id}` : base;
}
