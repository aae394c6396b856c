import type { ReactNode } from 'react';
import './empty-state.css';

/** What to show when there is nothing yet, and what to do next. */
export function EmptyState({
  title,
  description,
  action,
  icon,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="empty-state">
      <div className="empty-state-icon" aria-hidden="true">
        {icon ?? (
          <svg viewBox="0 0 48 48">
            <rect x="7" y="11" width="34" height="26" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
            <path d="M7 19h34M14 27h12M14 31h8" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        )}
      </div>
      <h2 className="empty-state-title">{title}</h2>
      {description && <p className="empty-state-text">{description}</p>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
