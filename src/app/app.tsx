import { RouterProvider, createBrowserRouter } from 'react-router';
import { AppProviders } from './providers';
import { createQueryClient } from './query-client';
import { appRoutes } from './routes';
import './shared-styles';

const queryClient = createQueryClient();
// Created on first render, after main.tsx has started the mock API (it may rewrite the URL).
let router: ReturnType<typeof createBrowserRouter> | undefined;

export function App() {
  router ??= createBrowserRouter(appRoutes);
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
