import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../../lib/paths';
import { statKindSchema } from '../../../api/stats';
import { TimeRangePicker } from '../../../components/charts/time-range-picker';
import { Card, PageHeader } from '../../../components/page';
import { Tabs } from '../../../components/tabs';
import { useCurrentProject } from '../../../lib/current-project';
import { useStats } from '../api/get-stats';
import { StatsPanel } from '../components/stats-panel';
import { defaultSort, findColumn, statKindLabels } from '../lib/columns';
import { downloadCsv } from '../lib/csv';
import { searchRows, sortRows } from '../lib/sort-rows';
import { statsCsv, statsCsvFilename } from '../lib/stats-csv';
import { parseStatsSearch, statsSearchParams, type StatsSearch } from '../stats-search';
import '../stats.css';

export default function StatsPage() {
  const project = useCurrentProject();
  const pcode = project.pcode;
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => parseStatsSearch(params), [params]);
  const update = (patch: Partial<StatsSearch>) =>
    setParams(statsSearchParams({ ...search, ...patch }), { replace: true });

  const query = useStats({ pcode, kind: search.kind, range: search.range });
  const column = findColumn(search.kind, search.sort) ?? findColumn(search.kind, defaultSort[search.kind])!;
  const rows = useMemo(
    () => sortRows(searchRows(query.data?.rows ?? [], search.q), column, search.dir),
    [query.data, search.q, column, search.dir],
  );

  const exportCsv = () => {
    if (!query.data) return;
    downloadCsv(statsCsvFilename(pcode, search.kind, query.data.from, query.data.to), statsCsv(search.kind, rows));
  };

  const panel = (
    <StatsPanel
      kind={search.kind}
      query={query}
      rows={rows}
      q={search.q}
      onSearch={(q) => update({ q })}
      sort={column.id}
      dir={search.dir}
      onSort={(sort, dir) => update({ sort, dir })}
      onExport={exportCsv}
      transactionHref={(txid) => paths.transaction(pcode, txid)}
      timeZone={project.timezone}
    />
  );

  return (
    <div className="stats-page">
      <PageHeader
        title="Statistics"
        description="Where time goes and what fails, per URL, SQL statement, HTTP call and error class."
        actions={<TimeRangePicker label="Statistics range" value={search.range} onChange={(range) => update({ range })} />}
      />
      <Card padded={false}>
        <div className="stats-tabs">
          <Tabs
            label="Kind of statistics"
            selected={search.kind}
            onSelect={(id) => {
              const kind = statKindSchema.parse(id);
              update({ kind, sort: defaultSort[kind], dir: 'desc', q: '' });
            }}
            items={statKindSchema.options.map((k) => ({
              id: k,
              label: statKindLabels[k],
              content: k === search.kind ? panel : null,
            }))}
          />
        </div>
      </Card>
    </div>
  );
}
