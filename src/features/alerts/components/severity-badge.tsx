import type { AlertSeverity, AlertState } from '../../../api/alerts';
import { Badge, type BadgeTone } from '../../../components/page';
import { SEVERITY_TONE } from '../../../components/open-incidents-badge';

const SEVERITY_LABEL: Record<AlertSeverity, string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };

export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return <Badge tone={SEVERITY_TONE[severity]}>{SEVERITY_LABEL[severity]}</Badge>;
}

const STATE: Record<AlertState, { tone: BadgeTone; label: string }> = {
  ok: { tone: 'success', label: 'OK' },
  pending: { tone: 'warning', label: 'Pending' },
  firing: { tone: 'danger', label: 'Firing' },
};

/** A rule's state at the last evaluation; a disabled rule says so instead. */
export function RuleStateBadge({ state, enabled }: { state: AlertState; enabled: boolean }) {
  if (!enabled) return <Badge tone="neutral">Disabled</Badge>;
  return <Badge tone={STATE[state].tone}>{STATE[state].label}</Badge>;
}
