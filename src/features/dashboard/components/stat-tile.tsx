import type { ReactNode } from 'react';

interface StatTileProps {
  label: string;
  value: ReactNode;
  /** A short note under the value: the window it covers, the threshold used. */
  hint?: ReactNode;
  tone?: 'normal' | 'warn' | 'bad';
}

/** One headline figure of the dashboard. Labelled as a group so it can be found by its name. */
export function StatTile({ label, value, hint, tone = 'normal' }: StatTileProps) {
  return (
    <div className={`dash-tile dash-tile--${tone}`} role="group" aria-label={label}>
      <span className="dash-tile__label">{label}</span>
      <span className="dash-tile__value">{value}</span>
      {hint !== undefined && <span className="dash-tile__hint">{hint}</span>}
    </div>
  );
}
