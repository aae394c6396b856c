import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../../lib/paths';
import { Button, ButtonLink } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Card, PageHeader } from '../../../components/page';
import { LoadingState } from '../../../components/spinner';
import { useCurrentProject } from '../../../lib/current-project';
import { formatCount } from '../../../lib/format';
import { useAgents } from '../../../lib/get-agents';
import { agentsSearchParams, parseAgentsSearch, type AgentsSearch } from '../agents-search';
import { AgentCounts } from '../components/agent-counts';
import { AgentTable } from '../components/agent-table';
import { countAgents, filterAgents } from '../lib/filter-agents';
import '../agents.css';

export default function AgentsPage() {
  const project = useCurrentProject();
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => parseAgentsSearch(params), [params]);
  const update = (patch: Partial<AgentsSearch>) =>
    setParams(agentsSearchParams({ ...search, ...patch }), { replace: true });

  const query = useAgents(project.pcode);
  const agents = useMemo(() => query.data ?? [], [query.data]);
  const counts = useMemo(() => countAgents(agents), [agents]);
  const shown = useMemo(() => filterAgents(agents, search), [agents, search]);

  return (
    <div className="agents-page">
      <PageHeader
        title="Agents"
        description="The Python processes reporting to this project. An agent turns inactive when its heartbeats stop."
        actions={
          agents.length > 0 && (
            <AgentCounts counts={counts} status={search.status} onStatus={(status) => update({ status })} />
          )
        }
      />

      {query.error && (
        <ErrorBanner error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      )}
      {query.isPending && <LoadingState label="Loading agents…" />}

      {query.isSuccess && agents.length === 0 && (
        <Card>
          <EmptyState
            title="No agents yet"
            description="An agent appears here a few seconds after a Python app starts with the Tapscope agent and one of this project's license keys."
            action={
              <ButtonLink to={paths.install(project.pcode)} variant="primary">
                Open the install guide
              </ButtonLink>
            }
          />
        </Card>
      )}

      {agents.length > 0 && (
        <Card padded={false}>
          <div className="agents-toolbar">
            <label className="agents-filter">
              <span className="visually-hidden">Filter agents</span>
              <input
                type="search"
                placeholder="Filter by name, app, host, IP, version…"
                value={search.q}
                onChange={(e) => update({ q: e.target.value })}
              />
            </label>
            <span className="text-muted" aria-live="polite">
              {shown.length === agents.length ? formatCount(agents.length, 'agent') : `${shown.length} of ${formatCount(agents.length, 'agent')}`}
            </span>
          </div>
          {shown.length > 0 ? (
            <AgentTable agents={shown} timeZone={project.timezone} now={query.dataUpdatedAt || Date.now()} />
          ) : (
            <div className="agents-no-match">
              <p>No agent matches this filter.</p>
              <Button size="sm" onClick={() => update({ q: '', status: 'all' })}>
                Clear the filter
              </Button>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
