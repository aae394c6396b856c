import type { Agent } from '../../../api/agents';
import { formatCount } from '../../../lib/format';

interface AgentPickerProps {
  agents: readonly Agent[];
  /** Selected ids; empty means the whole project. */
  selected: readonly number[];
  onChange: (ids: number[]) => void;
}

/** Chooses the agents the dashboard covers: the whole project, or any subset. */
export function AgentPicker({ agents, selected, onChange }: AgentPickerProps) {
  const chosen = new Set(selected);
  const summary =
    selected.length === 0 ? `All agents (${agents.length})` : `${selected.length} of ${formatCount(agents.length, 'agent')}`;
  const toggle = (id: number) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    // Choosing every agent is the same view as the whole project; keep the URL short.
    onChange(next.size === agents.length ? [] : [...next].sort((a, b) => a - b));
  };
  return (
    <details className="agent-picker">
      <summary className="btn btn-secondary btn-md">{summary}</summary>
      <fieldset className="agent-picker__list">
        <legend className="visually-hidden">Agents shown on the dashboard</legend>
        <label className="agent-picker__item">
          <input type="checkbox" checked={selected.length === 0} onChange={() => onChange([])} />
          Whole project
        </label>
        {agents.map((a) => (
          <label key={a.id} className="agent-picker__item">
            <input type="checkbox" checked={chosen.has(a.id)} onChange={() => toggle(a.id)} />
            <span className={`status-dot status-dot--${a.status}`} aria-hidden="true" />
            <span className="agent-picker__name">{a.objectName}</span>
            {a.status === 'inactive' && <span className="text-muted">inactive</span>}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
