import { useOpenIncidents } from '../../lib/alert-summary';

/**
 * The number of open incidents beside "Alerts", coloured by the worst severity; nothing when
 * none. Loaded lazily by the navigation, so the alert contract stays out of the first load.
 */
export default function OpenIncidentCount({ pcode }: { pcode: string }) {
  const open = useOpenIncidents(pcode).data;
  if (!open) return null;
  return (
    <span
      className={`sidebar-count sidebar-count-${open.worstSeverity}`}
      aria-label={`${open.openIncidents} open, worst ${open.worstSeverity}`}
      title={`${open.openIncidents} open incidents, worst ${open.worstSeverity}`}
    >
      {open.openIncidents}
    </span>
  );
}
