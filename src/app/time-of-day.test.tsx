import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { server } from '../../mock-server/node';
import { agentListSchema, type Agent } from '../api/agents';
import { formatNumber } from '../lib/format';
import { formatDateTime } from '../lib/time-format';
import { startClockAt, TEST_CLOCK_START } from '../testing/fixed-clock';

// ECharts needs a canvas; jsdom has none.
vi.mock('../components/charts/load-echarts', () => ({
  loadEcharts: () => Promise.resolve({ init: () => ({ setOption: () => {}, resize: () => {}, dispose: () => {} }) }),
}));

/**
 * The console's tests run on a fixed clock (testing/fixed-clock.ts). These run the agents page
 * and the dashboard at other times of day, with the mock server seeded afresh at each, and assert
 * what the screen shows from what the API answered: nothing may depend on the hour.
 */
const instants = [
  { name: 'seconds before midnight UTC', now: '2026-12-03T23:59:55Z' },
  { name: 'seconds before midnight in the project’s zone (Asia/Seoul)', now: '2026-12-03T14:59:58Z' },
  { name: 'mid-morning, with the browser in America/Los_Angeles', now: '2026-12-03T17:30:00Z', tz: 'America/Los_Angeles' },
];

const realTz = process.env.TZ;

afterEach(() => {
  server.events.removeAllListeners();
  if (realTz === undefined) delete process.env.TZ;
  else process.env.TZ = realTz;
  startClockAt(TEST_CLOCK_START);
});

/** Seeds the mock server at `now` and gives the app's modules seeded with it. */
async function consoleAt(now: string, tz?: string) {
  if (tz) process.env.TZ = tz;
  startClockAt(Date.parse(now));
  // The seeds fix their epoch when they load: load them (and the app reading them) again.
  vi.resetModules();
  const { handlers } = await import('../../mock-server/handlers');
  server.use(...handlers);
  let agents: Agent[] | undefined;
  server.events.on('response:mocked', async ({ request, response }) => {
    if (new URL(request.url).pathname.endsWith('/agents')) {
      agents = agentListSchema.parse(await response.clone().json()).agents;
    }
  });
  const { renderApp } = await import('../testing/render-app');
  return { renderApp, agents: () => agents! };
}

describe.each(instants)('the console $name', ({ now, tz }) => {
  it('shows the agents the API answered, with their TPS, status times and drops', async () => {
    const { renderApp, agents } = await consoleAt(now, tz);
    expect(new Date().toISOString().slice(0, 16)).toBe(now.slice(0, 16));
    renderApp('/projects/demoshop/agents');
    await screen.findByText('shop-0-11-gunicorn');
    const counts = screen.getByRole('group', { name: 'Agent counts' });
    expect(within(counts).getByRole('button', { name: /4\s*Total/ })).toBeInTheDocument();
    expect(within(counts).getByRole('button', { name: /3\s*Active/ })).toBeInTheDocument();

    const row = (a: Agent) => within(screen.getByText(a.objectName).closest('tr')!);
    await waitFor(() => {
      for (const a of agents().filter((x) => x.status === 'active')) {
        expect(row(a).getByText(formatNumber(a.tps, 1))).toBeInTheDocument();
      }
    });
    const inactive = agents().find((a) => a.status === 'inactive')!;
    const since = row(inactive).getByText('since 25 min ago');
    // The status time in the project's zone, whichever side of midnight it falls.
    expect(since).toHaveAttribute('title', formatDateTime(inactive.statusSince, 'Asia/Seoul'));
    const lossy = agents().find((a) => a.dropped.hour > 0)!;
    expect(row(lossy).getByText(`${formatNumber(lossy.dropped.hour)} not recorded`)).toBeInTheDocument();
  });

  it('shows the dashboard with every seeded agent and the live hitmap card', async () => {
    const { renderApp } = await consoleAt(now, tz);
    renderApp('/projects/demoshop/dashboard');
    const tile = within(await screen.findByRole('group', { name: 'Agents' }));
    expect(await tile.findByText('3 / 4')).toBeInTheDocument();
    // The hitmap feature's live card, composed into the dashboard by app/routes/dashboard-route.tsx.
    expect(await screen.findByRole('link', { name: 'Open the hitmap' })).toHaveAttribute('href', '/projects/demoshop/hitmap');
  });
});
