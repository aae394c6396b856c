import type { CounterPoint } from '../../../api/counters';
import { formatBytes, formatNumber, formatPercent, formatResponseTime } from '../../../lib/format';

export interface ResourceRow {
  agentId: number;
  name: string;
  latest: CounterPoint | undefined;
}

/** The latest load, CPU and memory of each agent, beside the per-agent charts. */
export function AgentResources({ rows }: { rows: ResourceRow[] }) {
  return (
    <div className="table-wrap">
      <table className="table dash-resources">
        <caption className="visually-hidden">Latest figures per agent</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col" className="num">TPS</th>
            <th scope="col" className="num">Resp. time</th>
            <th scope="col" className="num">CPU</th>
            <th scope="col" className="num">Memory</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ agentId, name, latest }) => (
            <tr key={agentId} className={latest ? undefined : 'row-muted'}>
              <td className="dash-resources__name" title={name}>
                {name}
              </td>
              <td className="num">{latest ? formatNumber(latest.tps, 1) : '—'}</td>
              <td className="num">{formatResponseTime(latest?.respTime, latest?.txCount)}</td>
              <td className="num">{latest ? formatPercent(latest.cpu, false) : '—'}</td>
              <td className="num">{latest ? formatBytes(latest.mem) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
