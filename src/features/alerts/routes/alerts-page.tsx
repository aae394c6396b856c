import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/page';
import { Tabs } from '../../../components/tabs';
import { useCurrentProject } from '../../../lib/current-project';
import { useAlertRules } from '../api/get-alert-rules';
import { alertsSearchParams, parseAlertsSearch, type AlertsSearch, type AlertTab } from '../alerts-search';
import { ChannelsPanel } from '../components/channels-panel';
import { IncidentsPanel } from '../components/incidents-panel';
import { RulesPanel } from '../components/rules-panel';
import { SilencesPanel } from '../components/silences-panel';
import '../alerts.css';

/** The project's alerts: incidents, rules, channels and silences, one tab each (tab and filters in the URL). */
export default function AlertsPage() {
  const project = useCurrentProject();
  const pcode = project.pcode;
  const canEdit = project.role !== 'viewer';
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => parseAlertsSearch(params), [params]);
  const update = (patch: Partial<AlertsSearch>) => setParams(alertsSearchParams({ ...search, ...patch }), { replace: true });
  const rules = useAlertRules(pcode);
  const ruleList = rules.data ?? [];
  const tz = project.timezone;

  return (
    <div className="page-wide">
      <PageHeader
        title="Alerts"
        description={
          canEdit
            ? 'Rules watch response time, errors, throughput and agents; incidents open when they fire, and channels tell your team.'
            : 'You have read-only access: owners and members change rules, channels and silences.'
        }
      />
      <Tabs
        label="Alerts"
        selected={search.tab}
        onSelect={(tab) => update({ tab: tab as AlertTab })}
        items={[
          {
            id: 'incidents',
            label: 'Incidents',
            content: <IncidentsPanel pcode={pcode} timeZone={tz} search={search} rules={ruleList} onChange={update} />,
          },
          { id: 'rules', label: 'Rules', content: <RulesPanel pcode={pcode} timeZone={tz} canEdit={canEdit} /> },
          { id: 'channels', label: 'Channels', content: <ChannelsPanel pcode={pcode} timeZone={tz} canEdit={canEdit} /> },
          {
            id: 'silences',
            label: 'Silences',
            content: <SilencesPanel pcode={pcode} timeZone={tz} canEdit={canEdit} rules={ruleList} />,
          },
        ]}
      />
    </div>
  );
}
