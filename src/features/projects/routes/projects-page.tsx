import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Button } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { TextInput } from '../../../components/form-field';
import { Card, PageHeader } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { projectsQueryOptions, regionsQueryOptions } from '../../../lib/project-queries';
import { CreateProjectDialog } from '../components/create-project-dialog';
import { ProjectTable } from '../components/project-table';
import './projects-page.css';

const plus = (
  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
    <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
  </svg>
);

export default function ProjectsPage() {
  const projects = useQuery(projectsQueryOptions());
  const regions = useQuery(regionsQueryOptions());
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');

  const groups = useMemo(
    () => [...new Set((projects.data ?? []).map((p) => p.group).filter(Boolean))].sort(),
    [projects.data],
  );
  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!q) return projects.data ?? [];
    return (projects.data ?? []).filter((p) =>
      [p.name, p.group, p.pcode, p.region].some((v) => v.toLowerCase().includes(q)),
    );
  }, [projects.data, filter]);

  const hasProjects = (projects.data?.length ?? 0) > 0;

  return (
    <div className="page-wide">
      <PageHeader
        title="Projects"
        description="Each project collects the transactions, agents and statistics of one application, in one data region."
        actions={
          hasProjects && (
            <Button variant="primary" icon={plus} onClick={() => setCreating(true)}>
              New project
            </Button>
          )
        }
      />
      {projects.isPending && (
        <Card>
          <Skeleton rows={4} label="Loading projects…" />
        </Card>
      )}
      {projects.isError && (
        <ErrorBanner
          title="Could not load the projects"
          error={projects.error}
          onRetry={() => projects.refetch()}
          retrying={projects.isFetching}
        />
      )}
      {projects.data && !hasProjects && (
        <Card>
          <EmptyState
            title="Create your first project"
            description="A project gets a license key and an install guide. Install the agent in your Python app with them, and its transactions show up here within seconds."
            action={
              <Button variant="primary" icon={plus} onClick={() => setCreating(true)}>
                Create project
              </Button>
            }
          />
        </Card>
      )}
      {hasProjects && (
        <Card padded={false}>
          <div className="projects-toolbar">
            <TextInput
              type="search"
              placeholder="Filter by name, group or region"
              aria-label="Filter projects"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <span className="text-muted">
              {visible.length} of {projects.data?.length} {projects.data?.length === 1 ? 'project' : 'projects'}
            </span>
          </div>
          {visible.length > 0 ? (
            <ProjectTable projects={visible} regions={regions.data} />
          ) : (
            <EmptyState title="No project matches" description="Try another name, or clear the filter." />
          )}
        </Card>
      )}
      {creating && <CreateProjectDialog open onClose={() => setCreating(false)} groups={groups} />}
    </div>
  );
}
