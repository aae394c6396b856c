import { Suspense } from 'react';
import { Link, Outlet, useParams } from 'react-router';
import { LoadingState } from '../../components/spinner';
import { Logo } from '../../components/logo';
import { UserMenu } from '../../features/auth/components/user-menu';
import { ProjectSwitcher } from '../../features/projects/components/project-switcher';
import { paths } from '../paths';
import './shell.css';

/** The frame of every signed-in page: the top bar with the project switcher and the user menu. */
export function AppShell() {
  const { pcode } = useParams();
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
        <UserMenu />
      </header>
      <Suspense fallback={<LoadingState />}>
        <Outlet />
      </Suspense>
    </div>
  );
}
