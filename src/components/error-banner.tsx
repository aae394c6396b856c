import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Button } from './button';
import './banner.css';

/** The message to show for any error: the API's own words, or a plain fallback. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

/** A failed query or action: its message, and a Retry when the caller can retry. */
export function ErrorBanner({
  error,
  title,
  onRetry,
  retrying = false,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  return (
    <div className="banner banner-error" role="alert">
      <svg className="banner-icon" viewBox="0 0 20 20" aria-hidden="true">
        <circle cx="10" cy="10" r="8.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10 5.5v5.5M10 13.6v.4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <div className="banner-body">
        {title && <strong className="banner-title">{title}</strong>}
        <span>{errorMessage(error)}</span>
      </div>
      {onRetry && (
        <Button size="sm" onClick={onRetry} loading={retrying}>
          Retry
        </Button>
      )}
    </div>
  );
}

/** A neutral, warning or success note. */
export function Banner({
  tone = 'info',
  title,
  children,
}: {
  tone?: 'info' | 'warning' | 'success';
  title?: string;
  children: ReactNode;
}) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'warning' ? 'note' : 'status'}>
      <div className="banner-body">
        {title && <strong className="banner-title">{title}</strong>}
        <span>{children}</span>
      </div>
    </div>
  );
}
