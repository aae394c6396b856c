import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ButtonLink } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { paths } from '../../lib/paths';

export function NotFound() {
  return (
    <EmptyState
      title="Page not found"
      description="The address does not match a page of the console."
      action={<ButtonLink to={paths.projects} variant="primary">All projects</ButtonLink>}
    />
  );
}

/** Last resort for an error thrown while rendering a page, e.g. a chunk that failed to load. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <main className="shell-main">
      <EmptyState
        title="Something went wrong"
        description={
          <>
            The page could not be shown: {message}. Reload the page; if it happens again, the console may have been
            updated while it was open.
          </>
        }
        action={<ButtonLink to={paths.projects} reloadDocument variant="primary">Reload</ButtonLink>}
      />
    </main>
  );
}
