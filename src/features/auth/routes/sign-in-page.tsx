import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { signInRequestSchema } from '../../../api/auth';
import { paths } from '../../../lib/paths';
import { Button } from '../../../components/button';
import { Banner, ErrorBanner } from '../../../components/error-banner';
import { Field, TextInput } from '../../../components/form-field';
import { LoadingState } from '../../../components/spinner';
import { splitApiError, useFieldErrors, zodFieldErrors } from '../../../lib/form-errors';
import { useMe } from '../api/get-me';
import { useSetupStatus } from '../api/get-setup-status';
import { useSignIn } from '../api/sign-in';
import { AuthLayout } from '../components/auth-layout';

type SignInField = 'username' | 'password';

/** What other pages pass when they send the user here. */
export interface SignInLocationState {
  expired?: boolean;
  from?: string;
}

const MOCK_MODE = import.meta.env.VITE_API_MOCKING === 'true';

export default function SignInPage() {
  const location = useLocation();
  const state = (location.state ?? {}) as SignInLocationState;
  const navigate = useNavigate();
  const setup = useSetupStatus();
  const me = useMe();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors<SignInField>();
  const [formError, setFormError] = useState<unknown>(null);

  const target = state.from && state.from.startsWith('/') && !state.from.startsWith('//') ? state.from : paths.projects;

  if (setup.isPending) return <LoadingState />;
  if (setup.data?.needsSetup) return <Navigate to={paths.setup} replace />;
  if (me.data) return <Navigate to={target} replace />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = signInRequestSchema.safeParse({ username, password });
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error));
      return;
    }
    setErrors({});
    signIn.mutate(parsed.data, {
      onSuccess: () => navigate(target, { replace: true }),
      onError: (error) => {
        const split = splitApiError(error, ['username', 'password'] as const);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }

  return (
    <AuthLayout title="Sign in" subtitle="Sign in to your Tapscope console.">
      {state.expired && !formError && <Banner tone="warning">Your session has expired. Sign in again.</Banner>}
      {setup.isError && <ErrorBanner error={setup.error} onRetry={() => setup.refetch()} />}
      {formError != null && <ErrorBanner error={formError} />}
      <form className="form-stack" onSubmit={onSubmit} noValidate>
        <Field label="Username" error={errors.username}>
          {(p) => (
            <TextInput
              {...p}
              name="username"
              autoComplete="username"
              autoFocus
              value={username}
              onChange={(e) => {
                setUsername(e.target.value);
                clearError('username');
              }}
            />
          )}
        </Field>
        <Field label="Password" error={errors.password}>
          {(p) => (
            <TextInput
              {...p}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
                clearError('password');
              }}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" loading={signIn.isPending}>
          Sign in
        </Button>
      </form>
      {MOCK_MODE && (
        <p className="auth-hint">
          <strong>Mock mode.</strong> Sign in as <code>admin</code> with the password <code>tapscope-demo</code>.
        </p>
      )}
    </AuthLayout>
  );
}
