import { useMemo } from 'react';
import type { Step } from '../../../api/transactions';
import { formatDuration, formatNumber } from '../../../lib/format';

interface Group {
  text: string;
  count: number;
  total: number;
  max: number;
  errors: number;
}

/** Groups steps of one kind by their text (normalized SQL, or call URL), slowest total first. */
export function groupSteps(steps: readonly Step[], kind: 'sql' | 'httpc'): Group[] {
  const groups = new Map<string, Group>();
  for (const s of steps) {
    if (s.kind !== kind) continue;
    let g = groups.get(s.text);
    if (!g) {
      g = { text: s.text, count: 0, total: 0, max: 0, errors: 0 };
      groups.set(s.text, g);
    }
    g.count++;
    g.total += s.elapsed;
    g.max = Math.max(g.max, s.elapsed);
    if (s.error || (s.status ?? 0) >= 400) g.errors++;
  }
  return [...groups.values()].sort((a, b) => b.total - a.total);
}

/** SQL or HTTP-call summary of a profile: one row per distinct statement or URL. */
export function StepSummary({ steps, kind }: { steps: readonly Step[]; kind: 'sql' | 'httpc' }) {
  const groups = useMemo(() => groupSteps(steps, kind), [steps, kind]);
  if (groups.length === 0) {
    return <p className="text-muted steps-none">{kind === 'sql' ? 'No SQL in this transaction.' : 'No HTTP calls in this transaction.'}</p>;
  }
  return (
    <div className="steps-scroll">
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">{kind === 'sql' ? 'Statement' : 'URL'}</th>
            <th scope="col" className="num">Count</th>
            <th scope="col" className="num">Total</th>
            <th scope="col" className="num">Average</th>
            <th scope="col" className="num">Max</th>
            <th scope="col" className="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.text}>
              <td className="mono summary-text">{g.text}</td>
              <td className="num">{formatNumber(g.count)}</td>
              <td className="num">{formatDuration(g.total)}</td>
              <td className="num">{formatDuration(g.total / g.count)}</td>
              <td className="num">{formatDuration(g.max)}</td>
              <td className="num">{g.errors ? formatNumber(g.errors) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
