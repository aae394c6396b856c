import { useMemo } from 'react';
import { TimeSeriesChart } from '../../../components/charts/time-series-chart';
import type { ChartSeries } from '../../../components/charts/time-series-option';
import { timeFormatterFor } from '../../../lib/time-format';
import { dropRanges, dropText } from '../../../lib/drop-ranges';
import { formatDuration, formatNumber, formatPercent } from '../../../lib/format';
import type { AgentCounters, Bucket, CounterView } from '../lib/aggregate-counters';
import { withoutFillingSlot } from './live-edge';

interface DashboardChartsProps {
  counters: CounterView;
  from: number;
  to: number;
  agentName: (id: number) => string;
  timeZone: string;
}

const fmtTps = (v: number) => formatNumber(v, 1);
const fmtMs = (v: number) => formatDuration(v);
const fmtCount = (v: number) => formatNumber(v);
const fmtApdex = (v: number) => v.toFixed(2);
const fmtCpu = (v: number) => formatPercent(v, false, 0);
// Memory is charted in MB so the axis gets round ticks (50 MB, 100 MB) rather than odd byte counts.
const fmtMem = (v: number) => `${formatNumber(v, v < 10 ? 1 : 0)} MB`;

/** The dashboard's history: project-wide TPS, response time, errors and apdex; CPU and memory per agent. */
export function DashboardCharts({ counters: all, from, to, agentName, timeZone }: DashboardChartsProps) {
  // `to` is when the range was asked for: the live edge is there.
  const counters = useMemo(() => withoutFillingSlot(all, to), [all, to]);
  const { step } = counters;
  const formatTime = useMemo(() => timeFormatterFor(to - from, timeZone), [from, to, timeZone]);
  const charts = useMemo(() => {
    const one = (name: string, color: string, pick: (b: Bucket) => number | null): ChartSeries[] => [
      { name, color, points: counters.buckets.map((b) => [b.time, pick(b)] as const) },
    ];
    const perAgent = (pick: (a: AgentCounters) => Array<[number, number]>): ChartSeries[] =>
      [...counters.agents].sort((a, b) => a.agentId - b.agentId).map((a) => ({ name: agentName(a.agentId), points: pick(a) }));
    return {
      tps: one('TPS', '#2f6fdf', (b) => b.tps),
      resp: one('Response time', '#1b998b', (b) => b.respTime),
      errors: one('Errors', '#d64545', (b) => b.errors),
      apdex: one('Apdex', '#7a5cc7', (b) => b.apdex),
      cpu: perAgent((a) => a.cpu),
      mem: perAgent((a) => a.memMib),
    };
  }, [counters, agentName]);
  const drops = useMemo(
    () =>
      dropRanges(
        counters.agents.flatMap((a) => a.drops.map(([time, dropped]) => ({ agentId: a.agentId, time, dropped }))),
        step,
      ).map((r) => ({
        from: r.from,
        to: r.to,
        label: `${fmtCount(r.count)} not recorded`,
        text: dropText(r, agentName(r.agentId), fmtCount),
      })),
    [counters, step, agentName],
  );

  const common = { from, to, step, formatTime };
  return (
    <div className="dash-charts">
      <div>
        <TimeSeriesChart title="TPS" series={charts.tps} formatValue={fmtTps} marks={drops} {...common} />
        {drops.length > 0 && (
          <ul className="dash-drops" aria-label="Transactions not recorded">
            {drops.map((d) => (
              <li key={`${d.from}:${d.text}`}>
                <span className="dash-drops__time">
                  {formatTime(d.from)}–{formatTime(d.to)}
                </span>{' '}
                {d.text}
              </li>
            ))}
          </ul>
        )}
      </div>
      <TimeSeriesChart title="Average response time" series={charts.resp} formatValue={fmtMs} {...common} />
      <TimeSeriesChart title="Errors" kind="bar" integer series={charts.errors} formatValue={fmtCount} {...common} />
      <TimeSeriesChart title="Apdex" series={charts.apdex} formatValue={fmtApdex} yMax={1} {...common} />
      <TimeSeriesChart title="CPU per agent" series={charts.cpu} formatValue={fmtCpu} {...common} />
      <TimeSeriesChart title="Memory per agent" series={charts.mem} formatValue={fmtMem} {...common} />
    </div>
  );
}
