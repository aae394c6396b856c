import type { AgentsSearch } from '../agents-search';
import type { AgentCounts as Counts } from '../lib/filter-agents';

interface AgentCountsProps {
  counts: Counts;
  status: AgentsSearch['status'];
  onStatus: (status: AgentsSearch['status']) => void;
}

/** Total / active / inactive; each count also filters the list to its agents. */
export function AgentCounts({ counts, status, onStatus }: AgentCountsProps) {
  const items = [
    { id: 'all', label: 'Total', value: counts.total },
    { id: 'active', label: 'Active', value: counts.active },
    { id: 'inactive', label: 'Inactive', value: counts.inactive },
  ] as const;
  return (
    <div className="agent-counts" role="group" aria-label="Agent counts">
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          className={`agent-count agent-count--${item.id}`}
          aria-pressed={status === item.id}
          onClick={() => onStatus(item.id)}
        >
          <span className="agent-count__value">{item.value}</span>
          <span className="agent-count__label">{item.label}</span>
        </button>
      ))}
    </div>
  );
}
