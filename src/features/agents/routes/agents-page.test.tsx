import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { agentListSchema, type Agent } from '../../../api/agents';
import { routePatterns } from '../../../api/paths';
import { mockAgents } from '../../../../mock-server/handlers/agents';
import { server } from '../../../../mock-server/node';
import { renderApp } from '../../../testing/render-app';
import { formatNumber } from '../../../lib/format';

/** The last agent list the mock API answered, to compare with what the page shows. */
function captureAgents(): { latest: () => Agent[] | undefined } {
  let latest: Agent[] | undefined;
  server.events.on('response:mocked', async ({ request, response }) => {
    if (new URL(request.url).pathname.endsWith('/agents')) {
      latest = agentListSchema.parse(await response.clone().json()).agents;
    }
  });
  return { latest: () => latest };
}

afterEach(() => server.events.removeAllListeners());

const rows = () => within(screen.getByRole('table', { name: 'Agents of this project' })).getAllByRole('row').slice(1);

describe('agent list', () => {
  it('shows total, active and inactive counts and every agent with its status', async () => {
    const api = captureAgents();
    renderApp('/projects/demoshop/agents');
    expect(await screen.findByRole('heading', { name: 'Agents' })).toBeInTheDocument();
    await screen.findByText('shop-0-11-gunicorn');
    const counts = screen.getByRole('group', { name: 'Agent counts' });
    expect(within(counts).getByRole('button', { name: /4\s*Total/ })).toBeInTheDocument();
    expect(within(counts).getByRole('button', { name: /3\s*Active/ })).toBeInTheDocument();
    expect(within(counts).getByRole('button', { name: /1\s*Inactive/ })).toBeInTheDocument();

    expect(rows()).toHaveLength(4);
    const inactive = screen.getByText('shop-0-14-uwsgi').closest('tr')!;
    expect(within(inactive).getByText('Inactive')).toBeInTheDocument();
    expect(within(inactive).getByText('10.0.0.14')).toBeInTheDocument();
    // The agent process's pid, and its app processes' (the workers a user finds in `ps`).
    expect(within(inactive).getByText('agent 5121')).toBeInTheDocument();
    expect(within(inactive).getByText('app 5141, 5142')).toBeInTheDocument();
    expect(within(inactive).getByText('Python 3.11.2')).toBeInTheDocument();
    expect(within(inactive).getByText('since 25 min ago')).toBeInTheDocument();

    // The TPS column shows the handler's latest counter of each active agent.
    const agents = api.latest()!;
    const first = agents.find((a) => a.id === 1)!;
    const row = screen.getByText(first.objectName).closest('tr')!;
    expect(within(row).getByText('Active')).toBeInTheDocument();
    expect(within(row).getByText(formatNumber(first.tps, 1))).toBeInTheDocument();
  });

  it('shows an idle agent\'s response time as "—", as the dashboard does, not "0 ms"', async () => {
    const idle = { ...mockAgents()[0]!, tps: 0, respTime: 0 };
    server.use(http.get(routePatterns.agents, () => HttpResponse.json({ agents: [idle] })));
    renderApp('/projects/demoshop/agents');
    const row = (await screen.findByText(idle.objectName)).closest('tr')!;
    const cells = within(row).getAllByRole('cell');
    const header = within(screen.getByRole('table', { name: 'Agents of this project' })).getAllByRole('columnheader');
    const col = header.findIndex((h) => h.textContent === 'Resp. time');
    expect(cells[col]).toHaveTextContent(/^—$/);
    expect(row).not.toHaveTextContent('0 ms');
  });

  it('lists at most four app pids in the cell, and all of them in its tooltip', async () => {
    const busy = { ...mockAgents()[0]!, pid: 900, appPids: [901, 902, 903, 904, 905, 906] };
    server.use(http.get(routePatterns.agents, () => HttpResponse.json({ agents: [busy] })));
    renderApp('/projects/demoshop/agents');
    const row = (await screen.findByText(busy.objectName)).closest('tr')!;
    expect(within(row).getByText('agent 900')).toBeInTheDocument();
    const app = within(row).getByText(/^app /);
    expect(app).toHaveTextContent('app 901, 902, 903, 904 +2 more');
    expect(app).toHaveAttribute('title', 'App processes: 901, 902, 903, 904, 905, 906');
  });

  it('filters by text and by status, keeping the filter in the URL', async () => {
    const { user, router } = renderApp('/projects/demoshop/agents');
    await screen.findByText('shop-0-11-gunicorn');

    await user.type(screen.getByRole('searchbox', { name: 'Filter agents' }), 'uwsgi');
    expect(rows()).toHaveLength(2);
    expect(screen.getByText('2 of 4 agents')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?q=uwsgi');

    await user.click(screen.getByRole('button', { name: /Inactive/ }));
    expect(rows()).toHaveLength(1);
    expect(within(rows()[0]!).getByText('shop-0-14-uwsgi')).toBeInTheDocument();

    await user.clear(screen.getByRole('searchbox', { name: 'Filter agents' }));
    await user.type(screen.getByRole('searchbox', { name: 'Filter agents' }), '10.0.0.12');
    expect(screen.getByText('No agent matches this filter.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear the filter' }));
    expect(rows()).toHaveLength(4);
  });

  it('opens with the URL filter applied', async () => {
    renderApp('/projects/demoshop/agents?q=10.0.0.12');
    await screen.findByText('shop-0-12-gunicorn');
    expect(rows()).toHaveLength(1);
  });

  it('points a project without agents to the install guide', async () => {
    renderApp('/projects/billapi2/agents');
    expect(await screen.findByRole('heading', { name: 'No agents yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the install guide' })).toHaveAttribute(
      'href',
      '/projects/billapi2/install',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('refreshes on its own', async () => {
    let calls = 0;
    server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname.endsWith('/agents')) calls++;
    });
    renderApp('/projects/demoshop/agents');
    await screen.findByText('shop-0-11-gunicorn');
    await waitFor(() => expect(calls).toBeGreaterThanOrEqual(2), { timeout: 7_000 });
  }, 10_000);
});

describe('agent drops', () => {
  it('shows the transactions an agent could not send, and nothing for the others', async () => {
    const api = captureAgents();
    renderApp('/projects/demoshop/agents');
    const lossy = (await screen.findByText('shop-0-12-gunicorn')).closest('tr')!;
    const dropped = api.latest()!.find((a) => a.id === 2)!.dropped;
    expect(dropped.hour).toBeGreaterThan(0);
    const badge = within(lossy).getByText(`${dropped.hour.toLocaleString('en-US')} not recorded`);
    expect(within(lossy).getByText('last 1 h · buffer full')).toBeInTheDocument();
    expect(badge.closest('[title]')!.getAttribute('title')).toContain('agent buffer full during a collector outage');
    for (const name of ['shop-0-11-gunicorn', 'shop-0-13-uwsgi', 'shop-0-14-uwsgi']) {
      expect(within(screen.getByText(name).closest('tr')!).queryByText(/not recorded/)).toBeNull();
    }
  });
});
