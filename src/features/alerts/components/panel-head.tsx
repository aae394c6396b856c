import type { ReactNode } from 'react';

/**
 * The line above a panel's list: what it holds, and its 'New' button once the list has items
 * (an empty list offers the button in its empty state instead).
 */
export function PanelHead({ children, action, listed }: { children: ReactNode; action: ReactNode; listed: boolean }) {
  return (
    <div className="alerts-panel-head">
      <p className="text-muted">{children}</p>
      {listed && action}
    </div>
  );
}
