import { z } from 'zod';
import { alertSeveritySchema, type AlertSeverity } from '../../api/alerts';

/**
 * The Alerts page's view state in the URL (`?tab=incidents&state=open&severity=critical&rule=3`),
 * parsed here only; anything malformed falls back to its default, so a shared link never breaks.
 */
export const ALERT_TABS = ['incidents', 'rules', 'channels', 'silences'] as const;
export type AlertTab = (typeof ALERT_TABS)[number];

const searchSchema = z.object({
  tab: z.enum(ALERT_TABS).catch('incidents'),
  state: z.enum(['open', 'resolved', 'all']).catch('open'),
  severity: alertSeveritySchema.optional().catch(undefined),
  rule: z.coerce.number().int().positive().optional().catch(undefined),
});

export interface AlertsSearch {
  tab: AlertTab;
  /** Incidents shown: open ones (default), resolved ones or all. */
  state: 'open' | 'resolved' | 'all';
  severity?: AlertSeverity;
  ruleId?: number;
}

export function parseAlertsSearch(params: URLSearchParams): AlertsSearch {
  const raw = searchSchema.parse({
    tab: params.get('tab') ?? undefined,
    state: params.get('state') ?? undefined,
    severity: params.get('severity') ?? undefined,
    rule: params.get('rule') ?? undefined,
  });
  return { tab: raw.tab, state: raw.state, severity: raw.severity, ruleId: raw.rule };
}

/** The search params of a view, defaults left out. */
export function alertsSearchParams(s: AlertsSearch): URLSearchParams {
  const out = new URLSearchParams();
  if (s.tab !== 'incidents') out.set('tab', s.tab);
  if (s.state !== 'open') out.set('state', s.state);
  if (s.severity) out.set('severity', s.severity);
  if (s.ruleId !== undefined) out.set('rule', String(s.ruleId));
  return out;
}
