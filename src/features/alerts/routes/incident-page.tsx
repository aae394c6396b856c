import { useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { paths } from '../../../lib/paths';
import { Button, ButtonLink } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Badge, Card, PageHeader } from '../../../components/page';
import { LoadingState } from '../../../components/spinner';
import { useCurrentProject } from '../../../lib/current-project';
import { formatDuration } from '../../../lib/format';
import { formatDateTime } from '../../../lib/time-format';
import { useAcknowledgeIncident } from '../api/acknowledge-incident';
import { useAlertChannels } from '../api/get-alert-channels';
import { useIncident } from '../api/get-incident';
import { DeliveryLog } from '../components/delivery-log';
import { SeverityBadge } from '../components/severity-badge';
import { dashboardLink, hitmapLink } from '../lib/incident-links';
import { describeCondition, formatAlertValue } from '../lib/rule-text';
import '../alerts.css';

/** One incident: when, how bad, the rule as it was, who acknowledged it, whom it notified. */
export default function IncidentPage() {
  const project = useCurrentProject();
  const pcode = project.pcode;
  const id = Number(useParams().incidentId);
  const incident = useIncident(pcode, id);
  const channels = useAlertChannels(pcode);
  const ack = useAcknowledgeIncident(pcode);
  const canEdit = project.role !== 'viewer';
  const channelName = useMemo(() => {
    const names = new Map((channels.data ?? []).map((c) => [c.id, c.name]));
    return (cid: number) => names.get(cid) ?? `channel #${cid} (deleted)`;
  }, [channels.data]);

  const back = (
    <ButtonLink to={paths.alerts(pcode)} variant="secondary">
      All incidents
    </ButtonLink>
  );
  if (incident.isPending) return <LoadingState label="Loading incident…" />;
  if (incident.isError) {
    if (incident.error instanceof ApiError && incident.error.status === 404)
      return <EmptyState title="Incident not found" description="It may belong to another project, or its rule’s history was deleted." action={back} />;
    return <ErrorBanner error={incident.error} onRetry={() => incident.refetch()} retrying={incident.isFetching} />;
  }

  const i = incident.data;
  const end = i.resolvedAt ? Date.parse(i.resolvedAt) : Date.now();
  return (
    <div className="page-wide">
      <p className="breadcrumb">
        <Link to={paths.alerts(pcode)}>Alerts</Link> / Incident #{i.id}
      </p>
      <PageHeader
        title={
          <span className="incident-title">
            {i.ruleName} <SeverityBadge severity={i.severity} />{' '}
            {i.state === 'open' ? <Badge tone="danger">Open</Badge> : <Badge tone="success">Resolved</Badge>}
          </span>
        }
        description={i.scopeLabel}
        actions={
          <>
            <ButtonLink to={dashboardLink(pcode, i.startedAt, i.scopeKey)}>Dashboard at this time</ButtonLink>
            <ButtonLink to={hitmapLink(pcode, i.startedAt, i.resolvedAt, i.scopeKey)}>Hitmap at this time</ButtonLink>
            {canEdit && !i.acknowledgedBy && (
              <Button variant="primary" loading={ack.isPending} onClick={() => ack.mutate(i.id)}>
                Acknowledge
              </Button>
            )}
          </>
        }
      />
      {ack.isError && <ErrorBanner error={ack.error} title="Not acknowledged" />}
      <Card title="What happened">
        <dl className="facts">
          <Fact term="Started">{formatDateTime(i.startedAt, project.timezone)}</Fact>
          <Fact term="Ended">{i.resolvedAt ? formatDateTime(i.resolvedAt, project.timezone) : 'still open'}</Fact>
          <Fact term="Duration">
            {formatDuration(end - Date.parse(i.startedAt))}
            {!i.resolvedAt && ' so far'}
          </Fact>
          <Fact term="Peak">{formatAlertValue(i.peakValue, i.unit)}</Fact>
          <Fact term="Last value">{formatAlertValue(i.lastValue, i.unit)}</Fact>
          <Fact term="Threshold">{formatAlertValue(i.threshold, i.unit)}</Fact>
          <Fact term="Acknowledged">
            {i.acknowledgedBy
              ? `by ${i.acknowledgedBy}${i.acknowledgedAt ? `, ${formatDateTime(i.acknowledgedAt, project.timezone)}` : ''}`
              : 'not yet'}
          </Fact>
        </dl>
      </Card>
      <Card title="Rule when it fired" description="The rule may have changed or been deleted since.">
        <p>
          <strong>{i.rule.name}</strong>: {describeCondition(i.rule)}
        </p>
        <p className="text-muted">
          Repeat {i.rule.repeat} · {i.rule.channelIds.length === 0 ? 'notifies nobody' : `notifies ${i.rule.channelIds.map(channelName).join(', ')}`}
        </p>
      </Card>
      <Card title="Notifications" padded={i.notifications.length === 0}>
        {i.notifications.length === 0 ? (
          <p className="text-muted">
            No notification was sent: the rule has no channel, or a silence was active. Add channels to the rule in the Rules tab.
          </p>
        ) : (
          <DeliveryLog deliveries={i.notifications} timeZone={project.timezone} label="Notifications" channelName={channelName} />
        )}
      </Card>
    </div>
  );
}

/** One term of a description list of facts, with its value. */
function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
