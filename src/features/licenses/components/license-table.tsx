import { useState } from 'react';
import type { License } from '../../../api/licenses';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { ConfirmDialog } from '../../../components/dialog';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Badge } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { formatDateTime, formatRelative } from '../../../lib/time-format';
import { useLicenses } from '../api/get-licenses';
import { useRevokeLicense } from '../api/revoke-license';
import './licenses.css';

/** The project's keys: visible prefix, who issued them, when last used, and Revoke. */
export function LicenseTable({ pcode, timezone, canManage }: { pcode: string; timezone: string; canManage: boolean }) {
  const licenses = useLicenses(pcode);
  const revoke = useRevokeLicense(pcode);
  const [confirming, setConfirming] = useState<License | null>(null);

  if (licenses.isPending) {
    return (
      <div className="card-inset">
        <Skeleton rows={3} label="Loading license keys…" />
      </div>
    );
  }
  if (licenses.isError) {
    return (
      <div className="card-inset">
        <ErrorBanner
          title="Could not load the license keys"
          error={licenses.error}
          onRetry={() => licenses.refetch()}
          retrying={licenses.isFetching}
        />
      </div>
    );
  }
  if (licenses.data.length === 0) {
    return (
      <EmptyState
        title="No license keys yet"
        description="Issue a key above. Agents authenticate with it when they connect to the collector."
      />
    );
  }

  const rows = [...licenses.data].sort(
    (a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt),
  );

  function closeConfirm() {
    if (revoke.isPending) return;
    revoke.reset();
    setConfirming(null);
  }

  return (
    <>
      <DataTable label="License keys" columns={['Label', 'Key', 'Created', 'Last used', 'Status']} actions={canManage}>
        {rows.map((l) => (
          <tr key={l.id} className={l.revokedAt ? 'row-muted' : undefined}>
            <td>{l.label || <span className="text-muted">No label</span>}</td>
            <td>
              <code className="license-prefix">{l.prefix}…</code>
            </td>
            <td className="nowrap">
              {formatDateTime(l.createdAt, timezone)}
              <span className="cell-sub">by {l.createdBy}</span>
            </td>
            <td className="nowrap" title={l.lastUsedAt ? formatDateTime(l.lastUsedAt, timezone) : undefined}>
              {formatRelative(l.lastUsedAt)}
            </td>
            <td className="nowrap">
              {l.revokedAt ? (
                <>
                  <Badge tone="danger">Revoked</Badge>
                  <span className="cell-sub">{formatDateTime(l.revokedAt, timezone)}</span>
                </>
              ) : (
                <Badge tone="success">Active</Badge>
              )}
            </td>
            {canManage && (
              <td className="cell-actions">
                {!l.revokedAt && (
                  <Button size="sm" onClick={() => setConfirming(l)} aria-label={`Revoke key ${l.prefix}`}>
                    Revoke
                  </Button>
                )}
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      <ConfirmDialog
        open={confirming !== null}
        onClose={closeConfirm}
        onConfirm={() => {
          if (!confirming) return;
          revoke.mutate(confirming.id, { onSuccess: () => setConfirming(null) });
        }}
        busy={revoke.isPending}
        title="Revoke license key?"
        confirmLabel="Revoke key"
        description={
          confirming && (
            <>
              <p>
                Agents that use <code>{confirming.prefix}…</code>
                {confirming.label ? <> ({confirming.label})</> : null} will be refused when they next connect, and
                their data will stop arriving.
              </p>
              <p>This cannot be undone. Issue a new key first if agents still need one.</p>
            </>
          )
        }
      >
        {revoke.isError && <ErrorBanner error={revoke.error} />}
      </ConfirmDialog>
    </>
  );
}
