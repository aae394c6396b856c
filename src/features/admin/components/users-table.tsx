import type { User } from '../../../api/auth';
import { Badge } from '../../../components/page';
import { formatDate } from '../../../lib/format';

/** Every account; usernames are user input, rendered as text. */
export function UsersTable({ users }: { users: readonly User[] }) {
  return (
    <div className="table-wrap admin-table">
      <table className="table" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Administrator</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.admin ? <Badge tone="info">admin</Badge> : <span className="text-muted">—</span>}</td>
              <td className="nowrap">
                <time dateTime={u.createdAt} title={u.createdAt}>
                  {formatDate(u.createdAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
