import type { AlertDelivery } from '../../../api/alerts';
import { Badge, type BadgeTone } from '../../../components/page';
import { formatDateTime, formatDuration } from '../../../lib/format';

const STATUS: Record<AlertDelivery['status'], { tone: BadgeTone; label: string }> = {
  sent: { tone: 'success', label: 'Sent' },
  retrying: { tone: 'warning', label: 'Retrying' },
  failed: { tone: 'danger', label: 'Failed' },
};

const EVENT: Record<AlertDelivery['event'], string> = {
  test: 'Test',
  firing: 'Firing',
  repeat: 'Repeat',
  resolved: 'Resolved',
};

/** Attempts to notify: when, what, how it went. Reasons come from receivers: shown as text. */
export function DeliveryLog({
  deliveries,
  timeZone,
  label,
  channelName,
}: {
  deliveries: readonly AlertDelivery[];
  timeZone: string;
  label: string;
  /** Adds a Channel column (an incident's notifications go to several channels). */
  channelName?: (id: number) => string;
}) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {channelName && <th scope="col">Channel</th>}
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Answer</th>
            <th scope="col">Latency</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td className="nowrap">{formatDateTime(d.at, timeZone)}</td>
              {channelName && <td>{channelName(d.channelId)}</td>}
              <td>
                {EVENT[d.event]}
                {d.attempt > 1 && <span className="cell-sub">attempt {d.attempt}</span>}
              </td>
              <td>
                <Badge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</Badge>
              </td>
              <td className="mono">{d.statusCode ?? '—'}</td>
              <td className="nowrap">{d.latencyMs === null ? '—' : formatDuration(d.latencyMs)}</td>
              <td className="delivery-reason">{d.error ?? <span className="text-muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
