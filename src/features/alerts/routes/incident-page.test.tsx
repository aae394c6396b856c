import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mock-server/db';
import { renderApp } from '../../../testing/render-app';

describe('incident page', () => {
  it('shows when and how bad, the rule as it fired, its notifications, and links to its time range', async () => {
    const { user } = renderApp('/projects/demoshop/alerts');
    await user.click(await screen.findByRole('link', { name: 'Agent stopped sending' }));
    expect(await screen.findByRole('heading', { name: /Agent stopped sending/ })).toHaveTextContent('Critical');
    expect(screen.getByText('shop-0-14-uwsgi')).toBeInTheDocument();
    expect(screen.getByText('Peak').nextSibling).toHaveTextContent('1,500 s');
    expect(screen.getByText('Threshold').nextSibling).toHaveTextContent('120 s');
    expect(screen.getByText('Ended').nextSibling).toHaveTextContent('still open');
    expect(screen.getByText(/no data from an agent for more than 120 s/)).toBeInTheDocument();

    const log = screen.getByRole('table', { name: 'Notifications' });
    const smtp = within(log).getByText(/SMTP auth failed/).closest('tr')!;
    expect(smtp).toHaveTextContent('On-call email');
    expect(within(log).getAllByRole('row')).toHaveLength(5);

    const hitmap = screen.getByRole('link', { name: 'Hitmap at this time' }).getAttribute('href')!;
    expect(hitmap).toMatch(/^\/projects\/demoshop\/hitmap\?mode=range&from=\d+&to=\d+&agent=4$/);
    expect(screen.getByRole('link', { name: 'Dashboard at this time' })).toHaveAttribute(
      'href',
      '/projects/demoshop/dashboard?range=1h&agents=4',
    );

    await user.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(await screen.findByText(/^by admin, /)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
  });

  it('does not offer to acknowledge to a viewer, and says when an incident is not found', async () => {
    db.members.push({ pcode: 'demoshop', userId: 3, role: 'viewer' });
    renderApp('/projects/demoshop/alerts/incidents/3', { signedInAs: 'lee' });
    expect(await screen.findByRole('heading', { name: /Agent stopped sending/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
  });

  it('says an incident of another project is not found', async () => {
    renderApp('/projects/billapi2/alerts/incidents/3');
    expect(await screen.findByRole('heading', { name: 'Incident not found' })).toBeInTheDocument();
  });
});
