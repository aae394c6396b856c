import { lazy, Suspense } from 'react';
import { Navigate, Outlet, type RouteObject } from 'react-router';
import { LoadingState } from '../components/spinner';
import { AppShell } from './layout/app-shell';
import { ProjectLayout } from './layout/project-layout';
import { NotFound, RouteError } from './layout/route-error';
import { routes } from '../lib/paths';
import { RequireAuth } from './require-auth';

// Every page is its own chunk: the first load carries only the shell.
const SetupPage = lazy(() => import('../features/auth/routes/setup-page'));
const SignInPage = lazy(() => import('../features/auth/routes/sign-in-page'));
const ProjectsPage = lazy(() => import('../features/projects/routes/projects-page'));
const InstallRoute = lazy(() => import('./routes/install-route'));
const SettingsPage = lazy(() => import('../features/settings/routes/settings-page'));
const DashboardRoute = lazy(() => import('./routes/dashboard-route'));
const AgentsPage = lazy(() => import('../features/agents/routes/agents-page'));
const HitmapPage = lazy(() => import('../features/hitmap/routes/hitmap-page'));
const TransactionPage = lazy(() => import('../features/transactions/routes/transaction-page'));
const TracePage = lazy(() => import('../features/traces/routes/trace-page'));
const StatsPage = lazy(() => import('../features/stats/routes/stats-page'));
const AlertsPage = lazy(() => import('../features/alerts/routes/alerts-page'));
const IncidentPage = lazy(() => import('../features/alerts/routes/incident-page'));
const AdminRoute = lazy(() => import('./routes/admin-route'));

/** The root: one Suspense boundary for the pages outside the shell (sign-in, setup). */
function Root() {
  return (
    <Suspense fallback={<LoadingState />}>
      <Outlet />
    </Suspense>
  );
}

/** A page outside the project frame gets the same padding as a project page. */
function PlainPage() {
  return (
    <main className="shell-main">
      <Outlet />
    </main>
  );
}

export const appRoutes: RouteObject[] = [
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { path: routes.setup, element: <SetupPage /> },
      { path: routes.login, element: <SignInPage /> },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <Navigate to={routes.projects} replace /> },
          {
            element: <AppShell />,
            children: [
              {
                element: <PlainPage />,
                children: [
                  { path: routes.projects, element: <ProjectsPage /> },
                  { path: routes.admin, element: <AdminRoute /> },
                ],
              },
              {
                path: routes.project,
                element: <ProjectLayout />,
                children: [
                  { index: true, element: <Navigate to={routes.dashboard} replace /> },
                  { path: routes.dashboard, element: <DashboardRoute /> },
                  { path: routes.agents, element: <AgentsPage /> },
                  { path: routes.hitmap, element: <HitmapPage /> },
                  { path: routes.transaction, element: <TransactionPage /> },
                  { path: routes.trace, element: <TracePage /> },
                  { path: routes.stats, element: <StatsPage /> },
                  { path: routes.alerts, element: <AlertsPage /> },
                  { path: routes.incident, element: <IncidentPage /> },
                  { path: routes.install, element: <InstallRoute /> },
                  { path: routes.settings, element: <SettingsPage /> },
                ],
              },
              { element: <PlainPage />, children: [{ path: '*', element: <NotFound /> }] },
            ],
          },
        ],
      },
    ],
  },
];
