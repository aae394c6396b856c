import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db, expireSession } from '../../mock-server/db';
import { server } from '../../mock-server/node';
import { apiPaths } from '../api/paths';
import { renderApp } from '../testing/render-app';

describe('session', () => {
  it('sends the user to sign-in with a notice when the session expires', async () => {
    const { user, router } = renderApp('/projects');
    await screen.findByRole('link', { name: 'Demo shop' });

    expireSession();
    await user.click(screen.getByRole('link', { name: 'Demo shop' }));

    expect(await screen.findByText('Your session has expired. Sign in again.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');

    await user.type(screen.getByLabelText('Username'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'tapscope-demo');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    // Back where the user was going, without the notice.
    expect(await screen.findByRole('navigation', { name: 'Project' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/projects/demoshop/dashboard');
  });

  it('signs out from the user menu', async () => {
    const { user, router } = renderApp('/projects');
    await user.click(await screen.findByRole('button', { name: 'Account: admin' }));
    await user.click(screen.getByRole('menuitem', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(screen.queryByText(/session has expired/)).not.toBeInTheDocument();
    expect(db.sessionUserId).toBeNull();
  });

  it('signs out everywhere from the user menu: every session ends, and the sign-in page follows', async () => {
    const calls: string[] = [];
    const record = ({ request }: { request: Request }) => calls.push(`${request.method} ${new URL(request.url).pathname}`);
    server.events.on('request:start', record);
    try {
      const { user, router } = renderApp('/projects');
      await user.click(await screen.findByRole('button', { name: 'Account: admin' }));
      await user.click(screen.getByRole('menuitem', { name: 'Sign out everywhere' }));
      expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
      expect(router.state.location.pathname).toBe('/login');
      expect(calls).toContain(`DELETE ${apiPaths.sessions}`);
      expect(calls).not.toContain(`DELETE ${apiPaths.session}`);
      expect(db.sessionUserId).toBeNull();
    } finally {
      server.events.removeListener('request:start', record);
    }
  });
});
