import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { LoadingState } from '../components/spinner';
import { meQueryOptions, useMe } from '../features/auth/api/get-me';
import type { SignInLocationState } from '../features/auth/routes/sign-in-page';
import { paths } from '../lib/paths';

function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/**
 * Sends the user to sign-in when any query or action answers 401 while they were
 * signed in: the session expired or was revoked on the server.
 */
function useSessionExpiry() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const from = location.pathname + location.search;

  useEffect(() => {
    function expire() {
      // Only a user we believed signed in has an expired session; a sign-out already cleared it.
      if (!queryClient.getQueryData(meQueryOptions().queryKey)) return;
      queryClient.removeQueries();
      queryClient.setQueryData(meQueryOptions().queryKey, null);
      const state: SignInLocationState = { expired: true, from };
      navigate(paths.login, { replace: true, state });
    }
    const unsubQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && isUnauthenticated(event.action.error)) expire();
    });
    const unsubMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && isUnauthenticated(event.action.error)) expire();
    });
    return () => {
      unsubQueries();
      unsubMutations();
    };
  }, [queryClient, navigate, from]);
}

/** The gate of every signed-in page. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  useSessionExpiry();

  if (me.isPending) return <LoadingState />;
  if (me.isError) {
    return (
      <div style={{ maxWidth: 560, margin: '15vh auto', padding: 16 }}>
        <ErrorBanner title="Cannot load the console" error={me.error} onRetry={() => me.refetch()} retrying={me.isFetching} />
      </div>
    );
  }
  if (!me.data) {
    const state: SignInLocationState = { from: location.pathname + location.search };
    return <Navigate to={paths.login} replace state={state} />;
  }
  return <Outlet />;
}
