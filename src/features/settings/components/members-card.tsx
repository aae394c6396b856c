import { useState, type FormEvent } from 'react';
import { projectRoleSchema, type Project, type ProjectRole } from '../../../api/projects';
import { Button } from '../../../components/button';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, Select, TextInput } from '../../../components/form-field';
import { Badge } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { splitApiError, useFieldErrors } from '../../../lib/form-errors';
import { useAddMember } from '../api/add-member';
import { useMembers } from '../api/get-members';
import { useRemoveMember } from '../api/remove-member';
import { useUpdateMemberRole } from '../api/update-member';

const ROLE_TEXT: Record<ProjectRole, string> = {
  owner: 'Owner — manages settings, members and keys',
  member: 'Member — issues and revokes keys, sees all data',
  viewer: 'Viewer — sees the data only',
};

/** Who can see the project; owners add existing users with a role. */
export function MembersCard({ project }: { project: Project }) {
  const members = useMembers(project.pcode);
  const add = useAddMember(project.pcode);
  const remove = useRemoveMember(project.pcode);
  const changeRole = useUpdateMemberRole(project.pcode);
  const isOwner = project.role === 'owner';
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<ProjectRole>('member');
  const [errors, setErrors, clearError] = useFieldErrors<'username' | 'role'>();
  const [formError, setFormError] = useState<unknown>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (!username.trim()) {
      setErrors({ username: 'Enter the username of an existing user' });
      return;
    }
    setErrors({});
    add.mutate(
      { username: username.trim(), role },
      {
        onSuccess: () => setUsername(''),
        onError: (error) => {
          const split = splitApiError(error, ['username', 'role'] as const);
          setErrors(split.fieldErrors);
          setFormError(split.formError);
        },
      },
    );
  }

  return (
    <div className="members">
      {members.isPending && <Skeleton rows={2} label="Loading members…" />}
      {members.isError && (
        <ErrorBanner error={members.error} onRetry={() => members.refetch()} retrying={members.isFetching} />
      )}
      {members.data && (
        <div className="table-wrap members-table">
          <table className="table" aria-label="Members">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                {isOwner && <th scope="col"><span className="visually-hidden">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => (
                <tr key={m.userId}>
                  <td>{m.username}</td>
                  <td>
                    {isOwner ? (
                      <Select
                        aria-label={`Role of ${m.username}`}
                        className="members-role"
                        value={m.role}
                        disabled={changeRole.isPending && changeRole.variables?.userId === m.userId}
                        onChange={(e) => changeRole.mutate({ userId: m.userId, role: projectRoleSchema.parse(e.target.value) })}
                      >
                        <option value="viewer">Viewer</option>
                        <option value="member">Member</option>
                        <option value="owner">Owner</option>
                      </Select>
                    ) : (
                      <Badge tone={m.role === 'owner' ? 'info' : 'neutral'}>{m.role}</Badge>
                    )}
                  </td>
                  {isOwner && (
                    <td>
                      <Button
                        variant="ghost"
                        aria-label={`Remove ${m.username}`}
                        loading={remove.isPending && remove.variables === m.userId}
                        onClick={() => {
                          if (window.confirm(`Remove ${m.username} from ${project.name}? Their access ends at once.`))
                            remove.mutate(m.userId);
                        }}
                      >
                        Remove
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {remove.isError && <ErrorBanner error={remove.error} />}
      {changeRole.isError && <ErrorBanner error={changeRole.error} />}
      {isOwner ? (
        <form className="members-add" onSubmit={onSubmit} noValidate>
          <h3 className="members-add-title">Add a member</h3>
          {formError != null && <ErrorBanner error={formError} />}
          <div className="members-add-row">
            <Field label="Username" error={errors.username} hint="The user must already have an account.">
              {(p) => (
                <TextInput
                  {...p}
                  name="member-username"
                  value={username}
                  onChange={(e) => {
                    setUsername(e.target.value);
                    clearError('username');
                  }}
                />
              )}
            </Field>
            <Field label="Role" error={errors.role} hint={ROLE_TEXT[role]}>
              {(p) => (
                <Select
                  {...p}
                  name="member-role"
                  value={role}
                  onChange={(e) => {
                    setRole(projectRoleSchema.parse(e.target.value));
                    clearError('role');
                  }}
                >
                  <option value="viewer">Viewer</option>
                  <option value="member">Member</option>
                  <option value="owner">Owner</option>
                </Select>
              )}
            </Field>
            <Button type="submit" variant="primary" loading={add.isPending}>
              Add member
            </Button>
          </div>
        </form>
      ) : (
        <p className="text-muted">Only project owners can add members.</p>
      )}
    </div>
  );
}
