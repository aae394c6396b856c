import { Link } from 'react-router';
import { alertSeveritySchema, type AlertRule } from '../../../api/alerts';
import { paths } from '../../../lib/paths';
import { DataTable } from '../../../components/data-table';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Select } from '../../../components/form-field';
import { Badge } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { formatDuration } from '../../../lib/format';
import { formatDateTime } from '../../../lib/time-format';
import { useIncidents } from '../api/get-incidents';
import type { AlertsSearch } from '../alerts-search';
import { formatAlertValue } from '../lib/rule-text';
import { SeverityBadge } from './severity-badge';

/** Incidents, newest first, filtered by state, severity and rule (the filters live in the URL). */
export function IncidentsPanel({
  pcode,
  timeZone,
  search,
  rules,
  onChange,
}: {
  pcode: string;
  timeZone: string;
  search: AlertsSearch;
  rules: readonly AlertRule[];
  onChange: (patch: Partial<AlertsSearch>) => void;
}) {
  const incidents = useIncidents(pcode, {
    state: search.state === 'all' ? undefined : search.state,
    severity: search.severity,
    ruleId: search.ruleId,
  });
  const filtered = search.state !== 'open' || search.severity !== undefined || search.ruleId !== undefined;

  return (
    <div className="alerts-panel">
      <div className="alerts-filters" role="group" aria-label="Incident filters">
        <label className="alerts-filter">
          <span>State</span>
          <Select value={search.state} onChange={(e) => onChange({ state: e.target.value as AlertsSearch['state'] })}>
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="all">All</option>
          </Select>
        </label>
        <label className="alerts-filter">
          <span>Severity</span>
          <Select
            value={search.severity ?? ''}
            onChange={(e) => onChange({ severity: (e.target.value || undefined) as AlertsSearch['severity'] })}
          >
            <option value="">Any</option>
            {alertSeveritySchema.options.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </Select>
        </label>
        <label className="alerts-filter">
          <span>Rule</span>
          <Select
            value={search.ruleId ?? ''}
            onChange={(e) => onChange({ ruleId: e.target.value ? Number(e.target.value) : undefined })}
          >
            <option value="">Any</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {incidents.isPending && <Skeleton rows={3} label="Loading incidents…" />}
      {incidents.isError && (
        <ErrorBanner error={incidents.error} onRetry={() => incidents.refetch()} retrying={incidents.isFetching} />
      )}
      {incidents.data && incidents.data.length === 0 && (
        <EmptyState
          title={filtered ? 'No incident matches' : 'No open incident'}
          description={
            filtered
              ? 'Try another state, severity or rule.'
              : rules.length === 0
                ? 'Nothing can fire yet: create a rule in the Rules tab.'
                : 'Every rule is within its threshold. Resolved incidents are under State → Resolved.'
          }
        />
      )}
      {incidents.data && incidents.data.length > 0 && (
        <DataTable label="Incidents" columns={['Severity', 'Incident', 'Started', 'Duration', 'Peak', 'Status']}>
          {incidents.data.map((i) => {
            const end = i.resolvedAt ? Date.parse(i.resolvedAt) : Date.now();
            return (
              <tr key={i.id}>
                <td>
                  <SeverityBadge severity={i.severity} />
                </td>
                <td>
                  <Link to={paths.incident(pcode, i.id)}>{i.ruleName}</Link>
                  <span className="cell-sub">{i.scopeLabel}</span>
                </td>
                <td className="nowrap">{formatDateTime(i.startedAt, timeZone)}</td>
                <td className="nowrap">
                  {formatDuration(end - Date.parse(i.startedAt))}
                  {!i.resolvedAt && ' so far'}
                </td>
                <td className="nowrap">
                  {formatAlertValue(i.peakValue, i.unit)}
                  <span className="cell-sub">threshold {formatAlertValue(i.threshold, i.unit)}</span>
                </td>
                <td>
                  {i.state === 'open' ? <Badge tone="danger">Open</Badge> : <Badge tone="success">Resolved</Badge>}
                  {i.acknowledgedBy && <span className="cell-sub">acknowledged by {i.acknowledgedBy}</span>}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}
