import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { paths } from '../../../lib/paths';
import { Menu } from '../../../components/menu';
import { projectQueryOptions, projectsQueryOptions } from '../../../lib/project-queries';
import { groupProjects } from './group-projects';

const SECTIONS = ['dashboard', 'hitmap', 'agents', 'stats', 'install', 'settings'] as const;
type Section = (typeof SECTIONS)[number];

/** The same page in another project, so switching keeps the user where they were. */
function sectionOf(pathname: string): Section {
  const part = pathname.split('/')[3] ?? '';
  if (part === 'transactions') return 'hitmap';
  return (SECTIONS as readonly string[]).includes(part) ? (part as Section) : 'dashboard';
}

export function ProjectSwitcher({ pcode }: { pcode: string }) {
  const projects = useQuery(projectsQueryOptions());
  const current = useQuery(projectQueryOptions(pcode));
  const section = sectionOf(useLocation().pathname);
  const name = current.data?.name ?? projects.data?.find((p) => p.pcode === pcode)?.name ?? pcode;

  return (
    <Menu
      triggerLabel={`Project: ${name}. Switch project`}
      className="project-switcher"
      trigger={<span className="project-switcher-name">{name}</span>}
    >
      {(close) => (
        <nav aria-label="Switch project">
          {projects.isPending && <div className="menu-note">Loading projects…</div>}
          {projects.isError && <div className="menu-note">Could not load the projects.</div>}
          {projects.data &&
            groupProjects(projects.data).map((group) => (
              <div key={group.name || '—'}>
                <div className="menu-section">{group.name || 'No group'}</div>
                {group.projects.map((p) => (
                  <Link
                    key={p.pcode}
                    to={paths[section](p.pcode)}
                    className={`menu-item${p.pcode === pcode ? ' menu-item-active' : ''}`}
                    aria-current={p.pcode === pcode ? 'page' : undefined}
                    onClick={close}
                  >
                    {p.name}
                  </Link>
                ))}
              </div>
            ))}
          <div className="menu-divider" />
          <Link to={paths.projects} className="menu-item" onClick={close}>
            All projects
          </Link>
        </nav>
      )}
    </Menu>
  );
}
