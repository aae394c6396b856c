import type { Agent } from '../../../api/agents';
import type { AgentsSearch } from '../agents-search';

export interface AgentCounts {
  total: number;
  active: number;
  inactive: number;
}

export function countAgents(agents: readonly Agent[]): AgentCounts {
  const active = agents.filter((a) => a.status === 'active').length;
  return { total: agents.length, active, inactive: agents.length - active };
}

/**
 * The agents matching the status and every word of the filter text (case-insensitive, over
 * name, app, process, host, IP, pid and versions); active first, then by object name.
 */
export function filterAgents(agents: readonly Agent[], search: AgentsSearch): Agent[] {
  const words = search.q.toLowerCase().split(/\s+/).filter(Boolean);
  return agents
    .filter((a) => search.status === 'all' || a.status === search.status)
    .filter((a) => {
      if (words.length === 0) return true;
      const text = [a.objectName, a.appName, a.processName, a.hostname, a.ip, String(a.pid), a.agentVersion, a.pythonVersion]
        .join(' ')
        .toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((x, y) =>
      x.status === y.status ? x.objectName.localeCompare(y.objectName) : x.status === 'active' ? -1 : 1,
    );
}
