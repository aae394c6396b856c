import { useState } from 'react';
import type { User } from '../../../api/auth';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { ErrorBanner } from '../../../components/error-banner';
import { Badge } from '../../../components/page';
import { formatDate } from '../../../lib/time-format';
import { useSetUserDisabled } from '../api/update-user';
import { DeleteUserDialog, DisableUserDialog } from './user-dialogs';

type Pending = { kind: 'disable' | 'delete'; user: User } | null;

/**
 * Every account, with its state; administrators disable, enable and delete the others (never
 * their own: `currentUserId`). Usernames are user input, rendered as text.
 */
export function UsersTable({ users, currentUserId }: { users: readonly User[]; currentUserId?: number }) {
  const [pending, setPending] = useState<Pending>(null);
  const setDisabled = useSetUserDisabled();

  return (
    <>
      {setDisabled.isError && <ErrorBanner error={setDisabled.error} />}
      <DataTable label="Users" wrapClassName="admin-table" columns={['Username', 'Administrator', 'Status', 'Created']} actions>
        {users.map((u) => {
          const self = u.id === currentUserId;
          return (
            <tr key={u.id} className={u.disabledAt ? 'admin-user-disabled' : undefined}>
              <td>{u.username}</td>
              <td>{u.admin ? <Badge tone="info">admin</Badge> : <span className="text-muted">—</span>}</td>
              <td className="nowrap">
                {u.disabledAt ? (
                  <span className="admin-user-status">
                    <Badge tone="danger">Disabled</Badge>
                    <time className="text-muted" dateTime={u.disabledAt} title={u.disabledAt}>
                      since {formatDate(u.disabledAt)}
                    </time>
                  </span>
                ) : (
                  <Badge tone="success">Active</Badge>
                )}
              </td>
              <td className="nowrap">
                <time dateTime={u.createdAt} title={u.createdAt}>
                  {formatDate(u.createdAt)}
                </time>
              </td>
              <td>
                <div className="admin-user-actions">
                  {self ? (
                    <span className="text-muted">Your account</span>
                  ) : (
                    <>
                      {u.disabledAt ? (
                        <Button
                          size="sm"
                          aria-label={`Enable ${u.username}`}
                          loading={setDisabled.isPending && setDisabled.variables?.id === u.id}
                          onClick={() =>
                            setDisabled.mutate({
                              id: u.id,
                              disabled: false,
                            })
                          }
                        >
                          Enable
                        </Button>
                      ) : (
                        <Button
                          size="sm"
                          aria-label={`Disable ${u.username}`}
                          onClick={() => setPending({ kind: 'disable', user: u })}
                        >
                          Disable
                        </Button>
                      )}
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete ${u.username}`}
                        onClick={() => setPending({ kind: 'delete', user: u })}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </div>
              </td>
            </tr>
          );
        })}
      </DataTable>
      {pending?.kind === 'disable' && <DisableUserDialog user={pending.user} onClose={() => setPending(null)} />}
      {pending?.kind === 'delete' && <DeleteUserDialog user={pending.user} onClose={() => setPending(null)} />}
    </>
  );
}
