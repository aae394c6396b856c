import { useState } from 'react';
import type { AlertChannel } from '../../../api/alerts';
import { Button } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Skeleton } from '../../../components/spinner';
import { useDeleteAlertChannel } from '../api/delete-alert-channel';
import { useAlertChannels } from '../api/get-alert-channels';
import { ChannelCard } from './channel-card';
import { ChannelFormDialog } from './channel-form-dialog';
import { ConfirmDelete } from './confirm-delete';
import { PanelHead } from './panel-head';

/** Where notifications go: webhooks, Slack-compatible webhooks and email. */
export function ChannelsPanel({ pcode, timeZone, canEdit }: { pcode: string; timeZone: string; canEdit: boolean }) {
  const channels = useAlertChannels(pcode);
  const remove = useDeleteAlertChannel(pcode);
  const [editing, setEditing] = useState<AlertChannel | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AlertChannel | null>(null);

  const newButton = canEdit && (
    <Button variant="primary" onClick={() => setEditing('new')}>
      New channel
    </Button>
  );
  return (
    <div className="alerts-panel">
      <PanelHead action={newButton} listed={(channels.data?.length ?? 0) > 0}>
        A rule notifies the channels it names when it fires, repeats and resolves. Secrets are write-only.
      </PanelHead>
      {channels.isPending && <Skeleton rows={3} label="Loading channels…" />}
      {channels.isError && <ErrorBanner error={channels.error} onRetry={() => channels.refetch()} retrying={channels.isFetching} />}
      {channels.data?.length === 0 && (
        <EmptyState
          title="No channels yet"
          description={
            canEdit
              ? 'Add a webhook, a Slack-compatible webhook or an email channel, send it a test, then choose it in your rules.'
              : 'Nobody is notified yet. Ask an owner or member to add a channel.'
          }
          action={newButton}
        />
      )}
      <div className="channel-list">
        {channels.data?.map((c) => (
          <ChannelCard
            key={c.id}
            pcode={pcode}
            channel={c}
            timeZone={timeZone}
            canEdit={canEdit}
            onEdit={() => setEditing(c)}
            onDelete={() => setDeleting(c)}
          />
        ))}
      </div>
      {editing && <ChannelFormDialog pcode={pcode} channel={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmDelete
        item={deleting}
        remove={remove}
        onClose={() => setDeleting(null)}
        title="Delete this channel?"
        describe={(name) => `“${name}” stops receiving notifications; rules that name it keep working without it.`}
        confirmLabel="Delete channel"
      />
    </div>
  );
}
