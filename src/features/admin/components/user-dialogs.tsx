import { useState } from 'react';
import type { User } from '../../../api/auth';
import { Button } from '../../../components/button';
import { ConfirmDialog, Dialog } from '../../../components/dialog';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, TextInput } from '../../../components/form-field';
import { useDeleteUser } from '../api/delete-user';
import { useSetUserDisabled } from '../api/update-user';

/** Disabling signs the user out everywhere; it is undone with Enable, so a yes/no is enough. */
export function DisableUserDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const disable = useSetUserDisabled();
  return (
    <ConfirmDialog
      open
      onClose={onClose}
      busy={disable.isPending}
      title={`Disable ${user.username}?`}
      confirmLabel="Disable user"
      onConfirm={() => disable.mutate({ id: user.id, disabled: true }, { onSuccess: onClose })}
      description={
        <p>
          <strong>{user.username}</strong> is signed out everywhere at once and cannot sign in until an administrator
          enables the account again. Their project memberships stay as they are.
        </p>
      }
    >
      {disable.isError && <ErrorBanner error={disable.error} />}
    </ConfirmDialog>
  );
}

/** Deleting cannot be undone, so it asks for the username, as deleting a project asks for its name. */
export function DeleteUserDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const remove = useDeleteUser();
  const close = () => {
    if (!remove.isPending) onClose();
  };
  return (
    <Dialog
      open
      onClose={close}
      busy={remove.isPending}
      title={`Delete ${user.username}?`}
      description={
        <>
          <p>
            This deletes the account <strong>{user.username}</strong>, signs it out everywhere and removes it from every
            project. The audit log keeps what it did.
          </p>
          <p>This cannot be undone. To only stop them signing in for now, disable the account instead.</p>
        </>
      }
      footer={
        <>
          <Button onClick={close} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={typed.trim() !== user.username}
            loading={remove.isPending}
            onClick={() => remove.mutate(user.id, { onSuccess: onClose })}
          >
            Delete user
          </Button>
        </>
      }
    >
      {remove.isError && <ErrorBanner error={remove.error} />}
      <Field label={`Type “${user.username}” to confirm`}>
        {(p) => (
          <TextInput
            {...p}
            name="confirm-username"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        )}
      </Field>
    </Dialog>
  );
}
