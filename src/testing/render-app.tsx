import type { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { createMemoryRouter, MemoryRouter, RouterProvider } from 'react-router';
import { resetDb, signInAs } from '../../mock-server/db';
import type { MockScenario } from '../../mock-server/data/core-seed';
import { AppProviders } from '../app/providers';
import { createQueryClient } from '../app/query-client';
import { appRoutes } from '../app/routes';

export interface RenderAppOptions {
  /** Seed of the mock db; `fresh` has no user (setup screen). */
  scenario?: MockScenario;
  /** Seeded user to sign in before rendering; null renders signed out. Default: admin. */
  signedInAs?: string | null;
}

export interface RenderAppResult extends RenderResult {
  user: ReturnType<typeof userEvent.setup>;
  router: ReturnType<typeof createMemoryRouter>;
  queryClient: QueryClient;
}

/** Renders the whole console (routes, providers) at `url`, against the MSW mock API. */
export function renderApp(url = '/', { scenario = 'default', signedInAs = 'admin' }: RenderAppOptions = {}): RenderAppResult {
  if (scenario !== 'default') resetDb(scenario);
  if (signedInAs) signInAs(signedInAs);
  // Before render: user-event installs its clipboard stub on navigator.
  const user = userEvent.setup();
  const queryClient = createQueryClient({ retry: false });
  const router = createMemoryRouter(appRoutes, { initialEntries: [url] });
  const result = render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...result, user, router, queryClient };
}

/** Renders one component with a QueryClient and a router (no routes), signed in as admin. */
export function renderWithProviders(ui: ReactNode, { signedInAs = 'admin' }: { signedInAs?: string | null } = {}) {
  if (signedInAs) signInAs(signedInAs);
  const user = userEvent.setup();
  const queryClient = createQueryClient({ retry: false });
  const result = render(
    <AppProviders queryClient={queryClient}>
      <MemoryRouter>{ui}</MemoryRouter>
    </AppProviders>,
  );
  return { ...result, user, queryClient };
}
