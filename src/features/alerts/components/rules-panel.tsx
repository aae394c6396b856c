import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { AlertRule } from '../../../api/alerts';
import { paths } from '../../../lib/paths';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Skeleton } from '../../../components/spinner';
import { formatRelative } from '../../../lib/time-format';
import { useAgents } from '../../../lib/get-agents';
import { useAlertChannels } from '../api/get-alert-channels';
import { useAlertRules } from '../api/get-alert-rules';
import { useDeleteAlertRule } from '../api/delete-alert-rule';
import { useUpdateAlertRule } from '../api/update-alert-rule';
import { describeCondition, describeScope } from '../lib/rule-text';
import { ConfirmDelete } from './confirm-delete';
import { PanelHead } from './panel-head';
import { RuleFormDialog } from './rule-form-dialog';
import { RuleStateBadge, SeverityBadge } from './severity-badge';

/** The rules of a project; editors create, edit, switch off and delete them. */
export function RulesPanel({ pcode, timeZone, canEdit }: { pcode: string; timeZone: string; canEdit: boolean }) {
  const rules = useAlertRules(pcode);
  const agents = useAgents(pcode);
  const channels = useAlertChannels(pcode);
  const update = useUpdateAlertRule(pcode);
  const remove = useDeleteAlertRule(pcode);
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);

  const agentName = useMemo(() => {
    const names = new Map((agents.data ?? []).map((a) => [a.id, a.objectName]));
    return (id: number) => names.get(id) ?? `agent #${id}`;
  }, [agents.data]);
  const channelName = useMemo(() => {
    const names = new Map((channels.data ?? []).map((c) => [c.id, c.name]));
    return (id: number) => names.get(id) ?? `channel #${id} (deleted)`;
  }, [channels.data]);

  const newButton = canEdit && (
    <Button variant="primary" onClick={() => setEditing('new')}>
      New rule
    </Button>
  );

  return (
    <div className="alerts-panel">
      <PanelHead action={newButton} listed={(rules.data?.length ?? 0) > 0}>
        Rules are checked by the collector every few seconds against the project’s counters and statistics.
        {!canEdit && ' You can read them; owners and members change them.'}
      </PanelHead>
      {rules.isPending && <Skeleton rows={3} label="Loading rules…" />}
      {rules.isError && <ErrorBanner error={rules.error} onRetry={() => rules.refetch()} retrying={rules.isFetching} />}
      {update.isError && <ErrorBanner error={update.error} title="The rule was not changed" />}
      {rules.data && rules.data.length === 0 && (
        <EmptyState
          title="No alert rules yet"
          description={
            canEdit
              ? 'Create a rule, e.g. “average response time above 500 ms over 5 min”, and add a channel to be told when it fires.'
              : 'No rule watches this project yet. Ask an owner or member to create one.'
          }
          action={newButton}
        />
      )}
      {rules.data && rules.data.length > 0 && (
        <DataTable label="Alert rules" columns={['Rule', 'Scope', 'Severity', 'State', 'Notifies']} actions={canEdit}>
          {rules.data.map((r) => (
            <tr key={r.id} className={r.enabled ? undefined : 'row-muted'}>
              <td>
                <strong>{r.name}</strong>
                <span className="cell-sub">{describeCondition(r)}</span>
                <Link className="cell-sub" to={paths.alerts(pcode, `?state=all&rule=${r.id}`)} aria-label={`Incidents of ${r.name}`}>
                  Incidents
                </Link>
              </td>
              <td>{describeScope(r.scope, agentName)}</td>
              <td>
                <SeverityBadge severity={r.severity} />
              </td>
              <td>
                <RuleStateBadge state={r.state} enabled={r.enabled} />
                <span className="cell-sub">{r.evaluatedAt ? `checked ${formatRelative(r.evaluatedAt)}` : 'not checked yet'}</span>
              </td>
              <td>{r.channelIds.length === 0 ? <span className="text-muted">nobody</span> : r.channelIds.map(channelName).join(', ')}</td>
              {canEdit && (
                <td className="cell-actions">
                  <Button size="sm" variant="ghost" onClick={() => setEditing(r)} aria-label={`Edit ${r.name}`}>
                    Edit
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`}
                    disabled={update.isPending}
                    onClick={() => update.mutate({ id: r.id, patch: { enabled: !r.enabled } })}
                  >
                    {r.enabled ? 'Disable' : 'Enable'}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setDeleting(r)} aria-label={`Delete ${r.name}`}>
                    Delete
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
      {editing && (
        <RuleFormDialog
          pcode={pcode}
          timeZone={timeZone}
          rule={editing === 'new' ? null : editing}
          agents={agents.data ?? []}
          channels={channels.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDelete
        item={deleting}
        remove={remove}
        onClose={() => setDeleting(null)}
        title="Delete this rule?"
        describe={(name) => `“${name}” stops being checked; its open incidents resolve. Past incidents stay listed.`}
        confirmLabel="Delete rule"
      />
    </div>
  );
}
