import { ApiError } from '../../../api/client';
import { paths } from '../../../lib/paths';
import { ButtonLink } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Card, PageHeader } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { useUsers } from '../api/get-users';
import { AuditLog } from '../components/audit-log';
import { CreateUserForm } from '../components/create-user-form';
import { UsersTable } from '../components/users-table';
import '../admin.css';

/**
 * Administration: the installation's users and its audit log. The API decides who may see it;
 * `currentUserId` (the signed-in user) gets no action on their own row.
 */
export default function AdminPage({ currentUserId }: { currentUserId?: number }) {
  const users = useUsers();

  if (users.isError && users.error instanceof ApiError && users.error.status === 403) {
    return (
      <EmptyState
        title="Administrators only"
        description="Ask an administrator to create accounts or to look at the audit log."
        action={
          <ButtonLink to={paths.projects} variant="primary">
            All projects
          </ButtonLink>
        }
      />
    );
  }

  return (
    <div className="page-wide">
      <PageHeader
        title="Administration"
        description="Create the accounts of your team, then add them to projects from each project’s Settings → Members."
      />
      <Card title="Users" description="Everyone with an account. A disabled user cannot sign in; disabling or deleting signs them out everywhere at once.">
        <div className="admin-users">
          {users.isPending && <Skeleton rows={2} label="Loading users…" />}
          {users.isError && <ErrorBanner error={users.error} onRetry={() => users.refetch()} retrying={users.isFetching} />}
          {users.data && <UsersTable users={users.data} currentUserId={currentUserId} />}
          <CreateUserForm />
        </div>
      </Card>
      <Card title="Audit log" description="Sign-ins, new users, projects, keys and members: who, what, from where." padded={false}>
        <AuditLog />
      </Card>
    </div>
  );
}
