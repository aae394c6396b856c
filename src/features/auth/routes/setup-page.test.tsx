import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mock-server/db';
import { MOCK_SETUP_TOKEN } from '../../../../mock-server/handlers/auth';
import { server } from '../../../../mock-server/node';
import { apiPaths } from '../../../api/paths';
import { renderApp } from '../../../testing/render-app';

describe('setup screen', () => {
  it('is shown on the first visit of a new installation', async () => {
    renderApp('/', { scenario: 'fresh', signedInAs: null });
    expect(await screen.findByRole('heading', { name: 'Set up Tapscope' })).toBeInTheDocument();
  });

  it('explains what is wrong next to each field', async () => {
    const { user } = renderApp('/setup', { scenario: 'fresh', signedInAs: null });
    const username = await screen.findByLabelText('Username');
    await user.clear(username);
    await user.type(username, 'ad');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.type(screen.getByLabelText('Confirm password'), 'other');
    await user.click(screen.getByRole('button', { name: 'Create admin account' }));

    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(/at least 3 characters/);
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/at least 10 characters/);
    expect(screen.getByLabelText('Confirm password')).toHaveAccessibleDescription('Passwords do not match');
    expect(db.users).toHaveLength(0);
  });

  it('shows the API’s message next to the field it names', async () => {
    server.use(
      http.post(apiPaths.setup, () =>
        HttpResponse.json(
          { error: { code: 'validation', message: 'This username is reserved', field: 'username' } },
          { status: 400 },
        ),
      ),
    );
    const { user } = renderApp('/setup', { scenario: 'fresh', signedInAs: null });
    await user.type(await screen.findByLabelText('Setup token'), MOCK_SETUP_TOKEN);
    await user.type(screen.getByLabelText('Password'), 'a-long-password');
    await user.type(screen.getByLabelText('Confirm password'), 'a-long-password');
    await user.click(screen.getByRole('button', { name: 'Create admin account' }));
    expect(await screen.findByText('This username is reserved')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(/This username is reserved/);
  });

  it('asks for the setup token and shows a refused one next to its field', async () => {
    const { user } = renderApp('/setup', { scenario: 'fresh', signedInAs: null });
    await user.type(await screen.findByLabelText('Password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create admin account' }));
    expect(screen.getByLabelText('Setup token')).toHaveAccessibleDescription(/Enter the setup token/);
    await user.type(screen.getByLabelText('Setup token'), 'not-the-token');
    await user.click(screen.getByRole('button', { name: 'Create admin account' }));
    expect(await screen.findByText(/The setup token is wrong/)).toBeInTheDocument();
    expect(db.users).toHaveLength(0);
  });

  it('creates the admin, signs in and opens the empty project list', async () => {
    const { user, router } = renderApp('/setup', { scenario: 'fresh', signedInAs: null });
    const username = await screen.findByLabelText('Username');
    await user.clear(username);
    await user.type(username, 'root-admin');
    await user.type(screen.getByLabelText('Setup token'), MOCK_SETUP_TOKEN);
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create admin account' }));

    expect(await screen.findByRole('heading', { name: 'Create your first project' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/projects');
    expect(db.users.map((u) => u.username)).toEqual(['root-admin']);
    expect(within(screen.getByRole('banner')).getByText('root-admin')).toBeInTheDocument();
  });

  it('sends a visitor of a set-up installation to sign-in', async () => {
    const { router } = renderApp('/setup', { signedInAs: null });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });
});
