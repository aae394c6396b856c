import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { setupRequestSchema } from '../../../api/auth';
import { paths } from '../../../lib/paths';
import { Button } from '../../../components/button';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, TextInput } from '../../../components/form-field';
import { LoadingState } from '../../../components/spinner';
import { splitApiError, useFieldErrors, zodFieldErrors, type FieldErrors } from '../../../lib/form-errors';
import { useCreateAdmin } from '../api/create-admin';
import { useSetupStatus } from '../api/get-setup-status';
import { AuthLayout } from '../components/auth-layout';

type SetupField = 'token' | 'username' | 'password' | 'confirm';

/** The first screen of a new installation: create the admin account. */
export default function SetupPage() {
  const navigate = useNavigate();
  const setup = useSetupStatus();
  const createAdmin = useCreateAdmin();
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors<SetupField>();
  const [formError, setFormError] = useState<unknown>(null);

  if (setup.isPending) return <LoadingState />;
  // Once an admin exists this screen is closed for good; a finished setup goes on to the console.
  if (setup.data && !setup.data.needsSetup && !createAdmin.isPending && !createAdmin.isSuccess)
    return <Navigate to={paths.login} replace />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = setupRequestSchema.safeParse({ token, username, password });
    const next: FieldErrors<SetupField> = parsed.success ? {} : zodFieldErrors(parsed.error);
    if (!confirm) next.confirm = 'Repeat the password';
    else if (confirm !== password) next.confirm = 'Passwords do not match';
    setErrors(next);
    if (!parsed.success || next.confirm) return;
    createAdmin.mutate(parsed.data, {
      onSuccess: () => navigate(paths.projects, { replace: true }),
      onError: (error) => {
        const split = splitApiError(error, ['token', 'username', 'password'] as const);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }

  return (
    <AuthLayout
      title="Set up Tapscope"
      subtitle="Create the administrator account. You will use it to sign in and to invite your team."
      footer="This screen is shown only once, before the first account exists."
    >
      {setup.isError && <ErrorBanner error={setup.error} onRetry={() => setup.refetch()} />}
      {formError != null && <ErrorBanner error={formError} />}
      <form className="form-stack" onSubmit={onSubmit} noValidate>
        <Field
          label="Setup token"
          error={errors.token}
          hint={'The collector prints it when it starts, on the line "setup token: …".'}
        >
          {(p) => (
            <TextInput
              {...p}
              name="token"
              autoComplete="off"
              spellCheck={false}
              value={token}
              onChange={(e) => {
                setToken(e.target.value);
                clearError('token');
              }}
            />
          )}
        </Field>
        <Field label="Username" error={errors.username} hint="Letters, digits and . _ @ - (3 to 64 characters).">
          {(p) => (
            <TextInput
              {...p}
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => {
                setUsername(e.target.value);
                clearError('username');
              }}
            />
          )}
        </Field>
        <Field label="Password" error={errors.password} hint="At least 10 characters.">
          {(p) => (
            <TextInput
              {...p}
              name="password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
                clearError('password');
              }}
            />
          )}
        </Field>
        <Field label="Confirm password" error={errors.confirm}>
          {(p) => (
            <TextInput
              {...p}
              name="confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => {
                setConfirm(e.target.value);
                clearError('confirm');
              }}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" loading={createAdmin.isPending}>
          Create admin account
        </Button>
      </form>
    </AuthLayout>
  );
}
