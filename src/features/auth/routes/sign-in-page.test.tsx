import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mock-server/db';
import { renderApp } from '../../../testing/render-app';

async function signIn(user: ReturnType<typeof renderApp>['user'], username: string, password: string) {
  const field = await screen.findByLabelText('Username');
  await user.clear(field);
  await user.type(field, username);
  await user.clear(screen.getByLabelText('Password'));
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in screen', () => {
  it('is where a signed-out visitor lands', async () => {
    const { router } = renderApp('/projects', { signedInAs: null });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });

  it('shows the API’s message for a wrong password and stays on the form', async () => {
    const { user, router } = renderApp('/login', { signedInAs: null });
    await signIn(user, 'admin', 'not-the-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(router.state.location.pathname).toBe('/login');
  });

  it('says an account is disabled only to someone with its password', async () => {
    db.users.find((u) => u.username === 'dana')!.disabledAt = new Date().toISOString();
    const { user, router } = renderApp('/login', { signedInAs: null });
    await signIn(user, 'dana', 'not-the-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    await signIn(user, 'dana', 'tapscope-demo');
    expect(await screen.findByText('This account is disabled. Ask an administrator to enable it.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(db.sessionUserId).toBeNull();
  });

  it('says when sign-in is rate limited', async () => {
    const { user } = renderApp('/login', { signedInAs: null });
    for (let i = 0; i < 5; i++) {
      await signIn(user, 'admin', `wrong-${i}`);
      await screen.findByText('Wrong username or password.');
    }
    await signIn(user, 'admin', 'tapscope-demo');
    expect(await screen.findByText(/Too many failed sign-in attempts/)).toBeInTheDocument();
  });

  it('asks for both fields before calling the API', async () => {
    const { user } = renderApp('/login', { signedInAs: null });
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('Enter your username');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password');
  });

  it('signs in and returns to the page that asked for it', async () => {
    const { user, router } = renderApp('/projects/demoshop/settings', { signedInAs: null });
    await signIn(user, 'admin', 'tapscope-demo');
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/projects/demoshop/settings');
  });
});
