import { useState, type FormEvent } from 'react';
import { createUserRequestSchema } from '../../../api/auth';
import { Button } from '../../../components/button';
import { Banner, ErrorBanner } from '../../../components/error-banner';
import { Field, TextInput } from '../../../components/form-field';
import { splitApiError, useFieldErrors, zodFieldErrors, type FieldErrors } from '../../../lib/form-errors';
import { useCreateUser } from '../api/create-user';

type UserField = 'username' | 'password' | 'confirm';

/**
 * An administrator creates an account; a project owner then adds it to a project. Errors
 * show next to their field: the form's own checks first, then the API's (a taken name).
 */
export function CreateUserForm() {
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors<UserField>();
  const [formError, setFormError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    setCreated(null);
    const parsed = createUserRequestSchema.safeParse({ username, password });
    const next: FieldErrors<UserField> = parsed.success ? {} : zodFieldErrors(parsed.error);
    if (!confirm) next.confirm = 'Repeat the password';
    else if (confirm !== password) next.confirm = 'Passwords do not match';
    setErrors(next);
    if (!parsed.success || next.confirm) return;
    create.mutate(parsed.data, {
      onSuccess: (user) => {
        setCreated(user.username);
        setUsername('');
        setPassword('');
        setConfirm('');
      },
      onError: (error) => {
        const split = splitApiError(error, ['username', 'password'] as const);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }

  const edit = (field: UserField, set: (value: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    clearError(field);
  };

  return (
    <form className="admin-create" onSubmit={onSubmit} noValidate aria-labelledby="create-user-title">
      <h3 className="admin-create-title" id="create-user-title">
        Create user
      </h3>
      {created !== null && (
        <Banner tone="success">
          User <strong>{created}</strong> created. Add them to a project from its Settings → Members.
        </Banner>
      )}
      {formError != null && <ErrorBanner error={formError} />}
      <div className="admin-create-row">
        <Field label="Username" error={errors.username} hint="Letters, digits and . _ @ - (3 to 64 characters).">
          {(p) => (
            <TextInput {...p} name="new-username" autoComplete="off" value={username} onChange={edit('username', setUsername)} />
          )}
        </Field>
        <Field label="Password" error={errors.password} hint="At least 10 characters. Give it to the user in person.">
          {(p) => (
            <TextInput
              {...p}
              name="new-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={edit('password', setPassword)}
            />
          )}
        </Field>
        <Field label="Confirm password" error={errors.confirm}>
          {(p) => (
            <TextInput
              {...p}
              name="new-password-confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={edit('confirm', setConfirm)}
            />
          )}
        </Field>
      </div>
      <div>
        <Button type="submit" variant="primary" loading={create.isPending}>
          Create user
        </Button>
      </div>
    </form>
  );
}
