import { Fragment } from 'react';
import { Link } from 'react-router';
import type { Project, ProjectRole } from '../../../api/projects';
import type { Region } from '../../../api/regions';
import { paths } from '../../../lib/paths';
import { ProjectOpenIncidents } from '../../../components/open-incidents-badge';
import { Badge, type BadgeTone } from '../../../components/page';
import { formatDate } from '../../../lib/time-format';
import { groupProjects } from './group-projects';

const ROLE_TONE: Record<ProjectRole, BadgeTone> = { owner: 'info', member: 'neutral', viewer: 'neutral' };

/** The projects, under a heading row per group (a Group column when there is at most one, unnamed, group). Names and groups are user text: rendered as text. */
export function ProjectTable({ projects, regions }: { projects: readonly Project[]; regions: readonly Region[] | undefined }) {
  const groups = groupProjects(projects);
  const showGroups = groups.length > 1 || (groups.length === 1 && groups[0]!.name !== '');
  const regionName = (id: string) => regions?.find((r) => r.id === id)?.name ?? id;

  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Region</th>
            {!showGroups && <th scope="col">Group</th>}
            <th scope="col">Time zone</th>
            <th scope="col">Alerts</th>
            <th scope="col">Your role</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <Fragment key={group.name || '—'}>
              {showGroups && (
                <tr className="table-group-row">
                  <td colSpan={6}>
                    {group.name || 'No group'} · {group.projects.length} {group.projects.length === 1 ? 'project' : 'projects'}
                  </td>
                </tr>
              )}
              {group.projects.map((p) => (
                <tr key={p.pcode}>
                  <td>
                    <Link to={paths.dashboard(p.pcode)} className="project-link">
                      {p.name}
                    </Link>
                    <span className="cell-sub mono">{p.pcode}</span>
                  </td>
                  <td>{regionName(p.region)}</td>
                  {!showGroups && <td>{p.group || <span className="text-muted">—</span>}</td>}
                  <td className="nowrap">{p.timezone.replace(/_/g, ' ')}</td>
                  <td className="nowrap">
                    <ProjectOpenIncidents
                      pcode={p.pcode}
                      to={paths.alerts(p.pcode)}
                      none={<span className="text-muted">No open incident</span>}
                    />
                  </td>
                  <td>
                    <Badge tone={ROLE_TONE[p.role]}>{p.role}</Badge>
                  </td>
                  <td className="nowrap">{formatDate(p.createdAt, p.timezone)}</td>
                </tr>
              ))}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
