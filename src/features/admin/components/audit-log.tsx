import { useState } from 'react';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT, type AuditEntry } from '../../../api/audit';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { ErrorBanner } from '../../../components/error-banner';
import { Skeleton } from '../../../components/spinner';
import { formatDateTime } from '../../../lib/time-format';
import { useAudit } from '../api/get-audit';

const ACTION_TEXT: Record<string, string> = {
  setup: 'Setup',
  sign_in: 'Signed in',
  sign_in_failed: 'Sign-in failed',
  sign_out: 'Signed out',
  user_created: 'User created',
  user_disabled: 'User disabled',
  user_enabled: 'User enabled',
  user_deleted: 'User deleted',
  project_created: 'Project created',
  project_updated: 'Project changed',
  project_deleted: 'Project deleted',
  license_issued: 'Key issued',
  license_revoked: 'Key revoked',
  member_added: 'Member added',
  member_role_changed: 'Role changed',
  member_removed: 'Member removed',
  signed_out_everywhere: 'Signed out everywhere',
};

/** An action the console does not know yet still reads as words. */
const actionText = (action: string) => ACTION_TEXT[action] ?? action.replace(/_/g, ' ');

/**
 * Who did what, newest first. Every field may hold what a stranger typed (a failed
 * sign-in records the username tried): React renders it as text, never as HTML.
 */
export function AuditLog() {
  const [limit, setLimit] = useState(AUDIT_DEFAULT_LIMIT);
  const audit = useAudit({ limit });

  if (audit.isPending) return <Skeleton rows={4} label="Loading the audit log…" />;
  if (audit.isError)
    return <ErrorBanner error={audit.error} onRetry={() => audit.refetch()} retrying={audit.isFetching} />;

  const entries = audit.data;
  if (entries.length === 0) return <p className="text-muted admin-empty">Nothing has been recorded yet.</p>;
  const more = entries.length >= limit && limit < AUDIT_MAX_LIMIT;

  return (
    <>
      <DataTable label="Audit log" className="admin-audit" columns={['Time', 'Actor', 'Action', 'Target', 'Detail', 'IP']}>
        {entries.map((e, i) => (
          <AuditRow key={`${e.time}-${i}`} entry={e} />
        ))}
      </DataTable>
      <div className="admin-audit-footer">
        <span className="text-muted">
          {more
            ? `The newest ${entries.length} entries.`
            : entries.length === 1
              ? '1 entry.'
              : `All ${entries.length} entries.`}
        </span>
        {more && (
          <Button
            size="sm"
            loading={audit.isPlaceholderData}
            onClick={() => setLimit((l) => Math.min(l * 5, AUDIT_MAX_LIMIT))}
          >
            Show more
          </Button>
        )}
      </div>
    </>
  );
}

function AuditRow({ entry: e }: { entry: AuditEntry }) {
  return (
    <tr className={e.action === 'sign_in_failed' ? 'admin-audit-failed' : undefined}>
      <td className="nowrap">
        <time dateTime={e.time} title={e.time}>
          {formatDateTime(e.time)}
        </time>
      </td>
      <td className="admin-cell-text">{e.actor}</td>
      <td className="nowrap">{actionText(e.action)}</td>
      <td className="admin-cell-text mono">{e.target}</td>
      <td className="admin-cell-text">{e.detail || <span className="text-muted">—</span>}</td>
      <td className="nowrap mono">{e.ip}</td>
    </tr>
  );
}
