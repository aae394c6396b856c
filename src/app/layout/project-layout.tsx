import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { NavLink, Outlet, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ButtonLink } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorBanner } from '../../components/error-banner';
import { LoadingState } from '../../components/spinner';
import { CurrentProjectProvider } from '../../lib/current-project';
import { projectQueryOptions, regionsQueryOptions } from '../../lib/project-queries';
import { paths } from '../../lib/paths';
import { navIcons } from './nav-icons';

const OpenIncidentCount = lazy(() => import('./open-incident-count'));

const NAV = [
  { label: 'Dashboard', to: paths.dashboard, icon: navIcons.dashboard },
  { label: 'Hitmap', to: paths.hitmap, icon: navIcons.hitmap },
  { label: 'Agents', to: paths.agents, icon: navIcons.agents },
  {
    label: 'Statistics',
    to: (p: string) => paths.stats(p),
    icon: navIcons.stats,
  },
  { label: 'Alerts', to: (p: string) => paths.alerts(p), icon: navIcons.alerts },
] as const;

const MANAGE = [
  { label: 'Install & keys', to: paths.install, icon: navIcons.install },
  { label: 'Settings', to: paths.settings, icon: navIcons.settings },
] as const;

/** The pages of one project: its navigation on the left, the page on the right. */
export function ProjectLayout() {
  const pcode = useParams().pcode ?? '';
  const project = useQuery(projectQueryOptions(pcode));
  const regions = useQuery(regionsQueryOptions());

  if (project.isPending) return <LoadingState label="Loading project…" />;
  if (project.isError) {
    if (project.error instanceof ApiError && (project.error.status === 404 || project.error.status === 403)) {
      return (
        <main className="shell-main">
          <EmptyState
            title="Project not found"
            description="It may have been deleted, or you are not a member of it. Ask a project owner to add you."
            action={
              <ButtonLink to={paths.projects} variant="primary">
                All projects
              </ButtonLink>
            }
          />
        </main>
      );
    }
    return (
      <main className="shell-main">
        <ErrorBanner error={project.error} onRetry={() => project.refetch()} retrying={project.isFetching} />
      </main>
    );
  }

  const p = project.data;
  const region = regions.data?.find((r) => r.id === p.region);
  return (
    <CurrentProjectProvider project={p}>
      <div className="project-frame">
        <div className="sidebar-column">
          <nav className="sidebar" aria-label="Project">
            <div className="sidebar-project">
              <span className="sidebar-project-name" title={p.name}>
                {p.name}
              </span>
              <span className="sidebar-project-meta">{region?.name ?? p.region}</span>
            </div>
            <ul className="sidebar-list">
              {NAV.map((item) => (
                <li key={item.label}>
                  <NavLink to={item.to(p.pcode)} className="sidebar-link">
                    {item.icon}
                    {item.label}
                    {item.label === 'Alerts' && (
                      <Suspense fallback={null}>
                        <OpenIncidentCount pcode={p.pcode} />
                      </Suspense>
                    )}
                  </NavLink>
                </li>
              ))}
            </ul>
            <div className="sidebar-heading">Manage</div>
            <ul className="sidebar-list">
              {MANAGE.map((item) => (
                <li key={item.label}>
                  <NavLink to={item.to(p.pcode)} className="sidebar-link">
                    {item.icon}
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </div>
        <main className="shell-main">
          {/* Keyed by project: a page's state (e.g. a key just issued) never carries over to another project. */}
          <Suspense key={p.pcode} fallback={<LoadingState />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </CurrentProjectProvider>
  );
}
