import { Suspense } from 'react';
import { Link, NavLink, Outlet, useParams } from 'react-router';
import { LoadingState } from '../../components/spinner';
import { Logo } from '../../components/logo';
import { useMe } from '../../features/auth/api/get-me';
import { UserMenu } from '../../features/auth/components/user-menu';
import { ProjectSwitcher } from '../../features/projects/components/project-switcher';
import { paths } from '../../lib/paths';
import './shell.css';

/** The frame of every signed-in page: the top bar with the project switcher, Administration (admins) and the user menu. */
export function AppShell() {
  const { pcode } = useParams();
  const me = useMe();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to={paths.projects} className="topbar-brand" aria-label="Tapscope — all projects">
          <Logo />
        </Link>
        {pcode && (
          <>
            <span className="topbar-sep" aria-hidden="true">
              /
            </span>
            <ProjectSwitcher pcode={pcode} />
          </>
        )}
        <div className="topbar-spacer" />
        {/* A convenience only: the API refuses non-admins whatever the console shows. */}
        {me.data?.admin && (
          <NavLink to={paths.admin} className="topbar-link">
            Administration
          </NavLink>
        )}
        <UserMenu />
      </header>
      <Suspense fallback={<LoadingState />}>
        <Outlet />
      </Suspense>
    </div>
  );
}
