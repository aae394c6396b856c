import type { ReactNode } from 'react';
import { Logo } from '../../../components/logo';
import './auth-layout.css';

/** The centred card of the sign-in and setup screens. */
export function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-column">
        <div className="auth-brand">
          <Logo />
        </div>
        <div className="auth-card">
          <h1 className="auth-title">{title}</h1>
          {subtitle && <p className="auth-subtitle">{subtitle}</p>}
          {children}
        </div>
        {footer && <div className="auth-footer">{footer}</div>}
      </div>
    </main>
  );
}
