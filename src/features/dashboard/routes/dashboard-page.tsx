import { useCallback, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../../lib/paths';
import { ButtonLink } from '../../../components/button';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { ProjectOpenIncidents } from '../../../components/open-incidents-badge';
import { Card, PageHeader } from '../../../components/page';
import { TimeRangePicker } from '../../../components/charts/time-range-picker';
import { timeRanges } from '../../../components/charts/time-range';
import { useCurrentProject } from '../../../lib/current-project';
import { formatCount, formatDuration, formatNumber } from '../../../lib/format';
import { formatTime } from '../../../lib/time-format';
import { useAgents } from '../../../lib/get-agents';
import { useCounters } from '../api/get-counters';
import { useChartPoints } from '../hooks/use-chart-points';
import { ActiveEqualizer } from '../components/active-equalizer';
import { AgentPicker } from '../components/agent-picker';
import { AgentResources } from '../components/agent-resources';
import { DashboardCharts } from '../components/dashboard-charts';
import { StatTile } from '../components/stat-tile';
import { dashboardSearchParams, parseDashboardSearch, type DashboardSearch } from '../dashboard-search';
import { liveFigures, rangeTotals } from '../lib/aggregate-counters';
import '../dashboard.css';

/** WhaTap's default `apdex_time`; agents compute apdex against it. */
const APDEX_THRESHOLD_MS = 1200;

/**
 * The project dashboard. `liveHitmap` is the hitmap feature's live card, passed in by the app
 * (app/routes/dashboard-route.tsx) so this feature does not import another.
 */
export default function DashboardPage({ liveHitmap }: { liveHitmap: ReactNode }) {
  const project = useCurrentProject();
  const pcode = project.pcode;
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => parseDashboardSearch(params), [params]);
  const update = (patch: Partial<DashboardSearch>) =>
    setParams(dashboardSearchParams({ ...search, ...patch }), { replace: true });

  const agentsQuery = useAgents(pcode);
  const live = useCounters({ pcode, window: 'live', agents: search.agents });
  // The history charts ask for as many buckets as a chart is wide.
  const [pageRef, chartPoints] = useChartPoints();
  const history = useCounters({ pcode, window: search.range, agents: search.agents, points: chartPoints });

  const agents = useMemo(() => agentsQuery.data ?? [], [agentsQuery.data]);
  const names = useMemo(() => new Map(agents.map((a) => [a.id, a.objectName])), [agents]);
  const agentName = useCallback((id: number) => names.get(id) ?? `agent #${id}`, [names]);
  const shownAgents = search.agents.length === 0 ? agents : agents.filter((a) => search.agents.includes(a.id));

  const now = useMemo(() => liveFigures(live.data?.agents ?? []), [live.data]);
  const totals = useMemo(() => rangeTotals(history.data?.buckets ?? []), [history.data]);
  const rangeLabel = timeRanges[search.range].label.toLowerCase();

  if (agentsQuery.isSuccess && agents.length === 0) {
    return (
      <div className="dashboard">
        <PageHeader title="Dashboard" />
        <Card>
          <EmptyState
            title="No data yet"
            description="No agent has connected to this project yet. Start one and its load appears here within seconds."
            action={
              <ButtonLink to={paths.install(pcode)} variant="primary">
                Open the install guide
              </ButtonLink>
            }
          />
        </Card>
      </div>
    );
  }

  const failed = [live, history, agentsQuery].find((q) => q.error);
  const activeCount = shownAgents.filter((a) => a.status === 'active').length;
  return (
    <div className="dashboard" ref={pageRef}>
      <PageHeader
        title="Dashboard"
        description={
          live.dataUpdatedAt > 0 ? `Live, updated ${formatTime(live.dataUpdatedAt, project.timezone)}` : 'Loading…'
        }
        actions={
          <>
            <ProjectOpenIncidents pcode={pcode} to={paths.alerts(pcode)} />
            <AgentPicker agents={agents} selected={search.agents} onChange={(ids) => update({ agents: ids })} />
            <TimeRangePicker label="History range" value={search.range} onChange={(range) => update({ range })} />
          </>
        }
      />

      {failed && (
        <ErrorBanner error={failed.error} onRetry={() => void failed.refetch()} retrying={failed.isFetching} />
      )}

      <div className="dash-tiles">
        <StatTile label="TPS" value={live.data ? formatNumber(now.tps, 1) : '…'} hint="now, transactions per second" />
        <StatTile label="Response time" value={live.data ? formatDuration(now.respTime) : '…'} hint="now, average" />
        <StatTile
          label="Active transactions"
          value={live.data ? formatNumber(now.activeBands[0] + now.activeBands[1] + now.activeBands[2]) : '…'}
          hint="running now"
          tone={now.activeBands[2] > 0 ? 'bad' : now.activeBands[1] > 0 ? 'warn' : 'normal'}
        />
        <StatTile
          label="Errors"
          value={history.data ? formatNumber(totals.errors) : '…'}
          hint={`${rangeLabel}, of ${formatCount(totals.txCount, 'transaction')} recorded${
            totals.dropped > 0 ? ` (${formatNumber(totals.dropped)} not recorded)` : ''
          }`}
          tone={totals.errors > 0 ? 'bad' : 'normal'}
        />
        <StatTile
          label="Apdex"
          value={history.data ? (totals.apdex === null ? '—' : totals.apdex.toFixed(2)) : '…'}
          hint={`${rangeLabel}, T = ${formatDuration(APDEX_THRESHOLD_MS)}`}
        />
        <StatTile label="Agents" value={`${activeCount} / ${shownAgents.length}`} hint="active / total" />
      </div>

      <div className="dash-row">
        <Card title="Active transactions" id="dash-active">
          <ActiveEqualizer
            rows={[...now.perAgent.values()]
              .sort((a, b) => agentName(a.agentId).localeCompare(agentName(b.agentId)))
              .map((p) => ({ agentId: p.agentId, name: agentName(p.agentId), bands: p.activeBands }))}
          />
        </Card>
        <Card title="Agents now" id="dash-agents" padded={false}>
          <AgentResources
            rows={shownAgents.map((a) => ({ agentId: a.id, name: a.objectName, latest: now.perAgent.get(a.id) }))}
          />
        </Card>
        <Card title="Hitmap" id="dash-hitmap">
          {liveHitmap}
        </Card>
      </div>

      {history.data && (
        <DashboardCharts
          counters={history.data}
          from={history.data.from}
          to={history.data.to}
          agentName={agentName}
          timeZone={project.timezone}
        />
      )}
    </div>
  );
}
