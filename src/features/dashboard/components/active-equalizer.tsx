import type { CounterPoint } from '../../../api/counters';
import './active-equalizer.css';

export interface EqualizerRow {
  agentId: number;
  name: string;
  bands: CounterPoint['activeBands'];
}

const BANDS = [
  { label: 'under 3 s', className: 'eq-cell--normal' },
  { label: '3–8 s', className: 'eq-cell--slow' },
  { label: '8 s or more', className: 'eq-cell--very-slow' },
] as const;

/** Cells per column; beyond this a column is scaled so a busy agent still fits. */
const MAX_CELLS = 12;

/**
 * The active-transaction equalizer: one column per agent, stacked from the bottom with a cell
 * per running transaction — blue under 3 s, orange 3–8 s, red 8 s or more (WhaTap's colours).
 */
export function ActiveEqualizer({ rows }: { rows: EqualizerRow[] }) {
  if (rows.length === 0) return <p className="muted">No agent has reported in the last 30 seconds.</p>;
  const busiest = Math.max(1, ...rows.map((r) => r.bands[0] + r.bands[1] + r.bands[2]));
  const scale = busiest > MAX_CELLS ? MAX_CELLS / busiest : 1;
  return (
    <div className="eq">
      <ul className="eq__columns">
        {rows.map((r) => {
          const total = r.bands[0] + r.bands[1] + r.bands[2];
          const description = BANDS.map((b, i) => `${r.bands[i]} ${b.label}`).join(', ');
          return (
            <li key={r.agentId} className="eq__column" aria-label={`${r.name}: ${total} active (${description})`}>
              <div className="eq__stack" aria-hidden="true">
                {BANDS.map((b, i) =>
                  Array.from({ length: Math.ceil(r.bands[i]! * scale) }, (_, k) => (
                    <span key={`${i}-${k}`} className={`eq-cell ${b.className}`} />
                  )),
                )}
              </div>
              <span className="eq__count">{total}</span>
              <span className="eq__name" title={r.name}>
                {r.name}
              </span>
            </li>
          );
        })}
      </ul>
      <ul className="eq__legend">
        {BANDS.map((b) => (
          <li key={b.label}>
            <span className={`eq-cell ${b.className}`} aria-hidden="true" /> {b.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
