import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../mock-server/node';
import { apiPaths } from '../api/paths';
import { renderApp } from '../testing/render-app';

describe('query states', () => {
  it('shows a failed query’s message with a Retry that loads it again', async () => {
    let calls = 0;
    server.use(
      http.get(apiPaths.projects, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json({ error: { code: 'internal', message: 'The database is locked.' } }, { status: 500 })
          : undefined; // fall through to the seeded handler
      }),
    );
    const { user } = renderApp('/projects');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the projects');
    expect(alert).toHaveTextContent('The database is locked.');

    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'Demo shop' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says so when the server cannot be reached', async () => {
    server.use(http.get(apiPaths.projects, () => HttpResponse.error()));
    renderApp('/projects');
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the Tapscope server');
  });

  it('explains a project that does not exist or is not yours', async () => {
    renderApp('/projects/nosuchpr/dashboard');
    expect(await screen.findByRole('heading', { name: 'Project not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All projects' })).toHaveAttribute('href', '/projects');
  });

  it('redirects a project’s root to its dashboard', async () => {
    const { router } = renderApp('/projects/demoshop');
    await screen.findByRole('navigation', { name: 'Project' });
    expect(router.state.location.pathname).toBe('/projects/demoshop/dashboard');
  });
});
