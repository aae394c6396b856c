import type { Agent } from '../../../api/agents';
import { Badge } from '../../../components/page';
import { AgentDrops } from './agent-drops';
import { AgentPids } from './agent-pids';
import { formatNumber, formatResponseTime } from '../../../lib/format';
import { formatDate, formatDateTime, formatRelative } from '../../../lib/time-format';

interface AgentTableProps {
  agents: readonly Agent[];
  timeZone: string;
  now: number;
}

/**
 * The agent list; related values share a cell (host and IP, agent and Python versions, last
 * and first seen) so the table fits a laptop screen. Every value is agent-supplied text and is
 * only ever rendered as text.
 */
export function AgentTable({ agents, timeZone, now }: AgentTableProps) {
  return (
    <div className="table-wrap">
      <table className="table agent-table">
        <caption className="visually-hidden">Agents of this project</caption>
        <thead>
          <tr>
            <th scope="col">Object name</th>
            <th scope="col">Status</th>
            <th scope="col">App</th>
            <th scope="col">Host / IP</th>
            <th scope="col" className="num">PIDs</th>
            <th scope="col">Agent / Python</th>
            <th scope="col">Last / first seen</th>
            <th scope="col" className="num">TPS</th>
            <th scope="col" className="num">Resp. time</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id} className={a.status === 'inactive' ? 'row-muted' : undefined}>
              <td className="agent-name" title={a.objectName}>
                {a.objectName}
                <AgentDrops dropped={a.dropped} />
              </td>
              <td>
                <Badge tone={a.status === 'active' ? 'success' : 'warning'}>
                  {a.status === 'active' ? 'Active' : 'Inactive'}
                </Badge>
                <span className="cell-sub" title={formatDateTime(a.statusSince, timeZone)}>
                  since {formatRelative(a.statusSince, now)}
                </span>
              </td>
              <td>
                {a.appName}
                <span className="cell-sub">{a.processName}</span>
              </td>
              <td>
                {a.hostname}
                <span className="cell-sub mono">{a.ip}</span>
              </td>
              <td className="num agent-pids">
                <AgentPids agentPid={a.pid} appPids={a.appPids} />
              </td>
              <td>
                {a.agentVersion}
                <span className="cell-sub">Python {a.pythonVersion}</span>
              </td>
              <td>
                <span title={formatDateTime(a.lastSeen, timeZone)}>{formatRelative(a.lastSeen, now)}</span>
                <span className="cell-sub" title={`First seen ${formatDateTime(a.firstSeen, timeZone)}`}>
                  first {formatDate(a.firstSeen, timeZone)}
                </span>
              </td>
              {/* Counters of an inactive agent are history, not its current load. */}
              <td className="num">{a.status === 'active' ? formatNumber(a.tps, 1) : '—'}</td>
              <td className="num">{a.status === 'active' ? formatResponseTime(a.respTime, a.tps) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
