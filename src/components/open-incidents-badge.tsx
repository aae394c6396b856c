import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { AlertSeverity } from '../api/alerts';
import { useOpenIncidents } from '../lib/alert-summary';
import { Badge, type BadgeTone } from './page';

/** The badge colour of each severity, everywhere alerts are shown. */
export const SEVERITY_TONE: Record<AlertSeverity, BadgeTone> = { info: 'info', warning: 'warning', critical: 'danger' };

/** "2 open incidents · critical", coloured by the worst severity; a link when `to` is given. */
export function OpenIncidentsBadge({ count, worst, to }: { count: number; worst: AlertSeverity; to?: string }) {
  const text = `${count} open ${count === 1 ? 'incident' : 'incidents'} · ${worst}`;
  const badge = <Badge tone={SEVERITY_TONE[worst]}>{text}</Badge>;
  return to ? (
    <Link to={to} className="open-incidents-link" aria-label={text}>
      {badge}
    </Link>
  ) : (
    badge
  );
}

/**
 * A project's open incidents as a badge linking to its alerts (`to`), from the shared summary;
 * `none` (default nothing) when it has none.
 */
export function ProjectOpenIncidents({ pcode, to, none = null }: { pcode: string; to: string; none?: ReactNode }) {
  const summary = useOpenIncidents(pcode);
  const open = summary.data;
  if (!open) return summary.isSuccess ? none : null;
  return <OpenIncidentsBadge count={open.openIncidents} worst={open.worstSeverity} to={to} />;
}
