import { useState } from 'react';
import type { AlertChannel, AlertDelivery } from '../../../api/alerts';
import { Button } from '../../../components/button';
import { ErrorBanner } from '../../../components/error-banner';
import { Badge } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { formatDuration } from '../../../lib/format';
import { useChannelDeliveries } from '../api/get-channel-deliveries';
import { useTestAlertChannel } from '../api/test-alert-channel';
import { channelTarget } from '../lib/channel-form';
import { DeliveryLog } from './delivery-log';

const KIND: Record<AlertChannel['kind'], string> = { webhook: 'Webhook', slack: 'Slack', email: 'Email' };

/** How a test went, in one sentence. */
function testOutcome(d: AlertDelivery): string {
  const took = d.latencyMs === null ? '' : ` in ${formatDuration(d.latencyMs)}`;
  if (d.status === 'sent') return `Test notification sent${d.statusCode ? ` (answer ${d.statusCode})` : ''}${took}.`;
  return `Test notification failed: ${d.error ?? `answer ${d.statusCode ?? 'none'}`}${took}.`;
}

/** One channel: where it sends, whether a secret is set, a test button and its delivery log. */
export function ChannelCard({
  pcode,
  channel,
  timeZone,
  canEdit,
  onEdit,
  onDelete,
}: {
  pcode: string;
  channel: AlertChannel;
  timeZone: string;
  canEdit: boolean;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const [showLog, setShowLog] = useState(false);
  const test = useTestAlertChannel(pcode);
  const deliveries = useChannelDeliveries(pcode, channel.id, 20);
  const logId = `channel-${channel.id}-log`;

  return (
    <article className="channel-card" aria-label={`Channel ${channel.name}`}>
      <div className="channel-head">
        <div className="channel-main">
          <h3 className="channel-name">
            {channel.name} <Badge tone="neutral">{KIND[channel.kind]}</Badge>
            {!channel.enabled && <Badge tone="warning">Disabled</Badge>}
          </h3>
          <p className="channel-target mono">{channelTarget(channel)}</p>
          {channel.kind === 'webhook' && (
            <p className="text-muted">{channel.secretSet ? `Signing secret set (${channel.secretHint})` : 'No signing secret'}</p>
          )}
          {channel.kind === 'email' && channel.smtp && (
            <p className="text-muted">
              SMTP user {channel.smtp.username || '(none)'} · password {channel.smtp.passwordSet ? 'set' : 'not set'} · from {channel.smtp.from}
            </p>
          )}
        </div>
        {canEdit && (
          <div className="channel-actions">
            <Button size="sm" variant="primary" loading={test.isPending} onClick={() => test.mutate(channel.id)}>
              Send a test notification
            </Button>
            <Button size="sm" onClick={onEdit}>
              Edit
            </Button>
            <Button size="sm" variant="ghost" onClick={onDelete}>
              Delete
            </Button>
          </div>
        )}
      </div>
      {test.data && (
        <p className={`test-result test-result-${test.data.status === 'sent' ? 'ok' : 'bad'}`} role="status">
          {testOutcome(test.data)}
        </p>
      )}
      {test.isError && <ErrorBanner error={test.error} title="The test could not be sent" />}
      <button type="button" className="link-button" aria-expanded={showLog} aria-controls={logId} onClick={() => setShowLog((s) => !s)}>
        {showLog ? 'Hide the delivery log' : `Delivery log${deliveries.data ? ` (${deliveries.data.length}${deliveries.data.length === 20 ? '+' : ''})` : ''}`}
      </button>
      {showLog && (
        <div id={logId}>
          {deliveries.isPending && <Skeleton rows={2} label="Loading deliveries…" />}
          {deliveries.isError && <ErrorBanner error={deliveries.error} />}
          {deliveries.data?.length === 0 && <p className="text-muted">Nothing sent yet. Send a test notification to check the channel.</p>}
          {deliveries.data && deliveries.data.length > 0 && (
            <DeliveryLog deliveries={deliveries.data} timeZone={timeZone} label={`Delivery log of ${channel.name}`} />
          )}
        </div>
      )}
    </article>
  );
}
