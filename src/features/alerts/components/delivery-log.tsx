import type { AlertDelivery } from '../../../api/alerts';
import { DataTable } from '../../../components/data-table';
import { Badge, type BadgeTone } from '../../../components/page';
import { formatDuration } from '../../../lib/format';
import { formatDateTime } from '../../../lib/time-format';

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
    <DataTable
      label={label}
      className="table-compact"
      columns={['Time', channelName !== undefined && 'Channel', 'Event', 'Status', 'Answer', 'Latency', 'Reason']}
    >
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
    </DataTable>
  );
}
