import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { agentListSchema } from '../../../api/agents';
import { counterSeriesSchema, toCounterSeries, type CounterPoint, type CounterSeries } from '../../../api/counters';
import { routePatterns } from '../../../api/paths';
import { formatDuration, formatNumber } from '../../../lib/format';
import { server } from '../../../../mock-server/node';
import { renderApp } from '../../../testing/render-app';

// ECharts needs a canvas; jsdom has none. A stand-in records what the charts were given.
const charts = vi.hoisted(() => ({ options: [] as unknown[] }));
vi.mock('../../../components/charts/load-echarts', () => ({
  loadEcharts: () =>
    Promise.resolve({
      init: () => ({
        setOption: (o: unknown) => charts.options.push(o),
        resize: () => {},
        dispose: () => {},
      }),
    }),
}));

afterEach(() => {
  server.events.removeAllListeners();
  charts.options.length = 0;
});

const tile = (name: string) => within(screen.getByRole('group', { name }));

const point = (agentId: number, time: number, p: Partial<CounterPoint>): CounterPoint => ({
  time,
  agentId,
  tps: 0,
  txCount: 0,
  txError: 0,
  respTime: 0,
  activeBands: [0, 0, 0],
  cpu: 0,
  mem: 0,
  apdex: null,
  dropped: 0,
  ...p,
});

describe('dashboard', () => {
  it('shows the figures of the counters the API answered', async () => {
    const now = Date.now();
    const live: CounterSeries = toCounterSeries(
      [
        point(1, now - 10_000, { tps: 99, txCount: 495, respTime: 10 }),
        point(1, now - 5_000, { tps: 12.4, txCount: 62, respTime: 80, activeBands: [3, 1, 0], cpu: 23.5, mem: 104_857_600 }),
        point(2, now - 5_000, { tps: 3.6, txCount: 18, respTime: 200, activeBands: [1, 0, 1], cpu: 7, mem: 52_428_800 }),
      ],
      5_000,
    );
    const history: CounterSeries = toCounterSeries(
      [
        point(1, now - 60_000, { txCount: 90, txError: 2, apdex: 1 }),
        point(2, now - 60_000, { txCount: 10, txError: 5, apdex: 0.5 }),
      ],
      5_000,
    );
    server.use(
      http.get(routePatterns.counters, ({ request }) => {
        const q = new URL(request.url).searchParams;
        const span = Number(q.get('to')) - Number(q.get('from'));
        return HttpResponse.json(span <= 30_000 ? live : history);
      }),
    );
    renderApp('/projects/demoshop/dashboard');

    await waitFor(() => expect(tile('TPS').getByText('16')).toBeInTheDocument());
    // (80·62 + 200·18) / 80 = 107 ms
    expect(tile('Response time').getByText('107 ms')).toBeInTheDocument();
    expect(tile('Active transactions').getByText('6')).toBeInTheDocument();
    expect(tile('Errors').getByText('7')).toBeInTheDocument();
    expect(tile('Errors').getByText('last 10 min, of 100 transactions recorded')).toBeInTheDocument();
    // (1·90 + 0.5·10) / 100
    expect(tile('Apdex').getByText('0.95')).toBeInTheDocument();
    expect(tile('Apdex').getByText(/T = 1\.2 s/)).toBeInTheDocument();
    expect(tile('Agents').getByText('3 / 4')).toBeInTheDocument();

    // The equalizer: one column per reporting agent, by band.
    expect(screen.getByRole('listitem', { name: 'shop-0-11-gunicorn: 4 active (3 under 3 s, 1 3–8 s, 0 8 s or more)' })).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'shop-0-12-gunicorn: 2 active (1 under 3 s, 0 3–8 s, 1 8 s or more)' })).toBeInTheDocument();

    // CPU and memory per agent, now.
    const row = screen.getByText('shop-0-11-gunicorn', { selector: 'td' }).closest('tr')!;
    expect(within(row).getByText('23.5%')).toBeInTheDocument();
    expect(within(row).getByText('100 MB')).toBeInTheDocument();
  }, 20_000);

  it('matches the mock API for the whole project', async () => {
    let live: CounterSeries | undefined;
    server.events.on('response:mocked', async ({ request, response }) => {
      const q = new URL(request.url).searchParams;
      if (request.url.includes('/counters') && Number(q.get('to')) - Number(q.get('from')) <= 30_000) {
        live = counterSeriesSchema.parse(await response.clone().json());
      }
    });
    renderApp('/projects/demoshop/dashboard');
    await waitFor(() => expect(live).toBeDefined());
    await waitFor(() => {
      const latest = live!.agents.map((a) => a.latest);
      const newest = Math.max(...latest.map((p) => p.time));
      const now = latest.filter((p) => p.time >= newest - 10_000);
      const tps = now.reduce((s, p) => s + p.tps, 0);
      const tx = now.reduce((s, p) => s + p.txCount, 0);
      const resp = now.reduce((s, p) => s + p.respTime * p.txCount, 0) / tx;
      expect(tile('TPS').getByText(formatNumber(tps, 1))).toBeInTheDocument();
      expect(tile('Response time').getByText(formatDuration(tx > 0 ? resp : null))).toBeInTheDocument();
    });
  });

  it('marks the slots with drops and leaves dropped transactions out of the count', async () => {
    const now = Date.now();
    const slot = Math.floor((now - 120_000) / 5_000) * 5_000;
    const history: CounterSeries = toCounterSeries(
      [
        point(1, slot - 5_000, { txCount: 40 }),
        point(2, slot, { txCount: 50, dropped: 30 }),
        point(2, slot + 5_000, { txCount: 20, dropped: 12 }),
        point(2, slot + 60_000, { txCount: 10 }),
      ],
      5_000,
    );
    server.use(
      http.get(routePatterns.counters, ({ request }) => {
        const q = new URL(request.url).searchParams;
        const span = Number(q.get('to')) - Number(q.get('from'));
        return HttpResponse.json(span <= 30_000 ? toCounterSeries([], 5_000) : history);
      }),
    );
    renderApp('/projects/demoshop/dashboard');
    // 40 + (50 − 30) + (20 − 12) + 10 recorded; the two slots merge into one range.
    await waitFor(() =>
      expect(tile('Errors').getByText('last 10 min, of 78 transactions recorded (42 not recorded)')).toBeInTheDocument(),
    );
    const list = screen.getByRole('list', { name: 'Transactions not recorded' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('42 transactions not recorded by shop-0-12-gunicorn: agent buffer full');

    type Option = { series: Array<{ markArea?: { data: Array<[{ name: string; xAxis: number }, { xAxis: number }]> } }> };
    await waitFor(() => expect((charts.options as Option[]).some((o) => o.series[0]?.markArea)).toBe(true));
    const tps = (charts.options as Option[]).find((o) => o.series[0]?.markArea)!;
    expect(tps.series[0]!.markArea!.data).toEqual([
      [{ name: '42 not recorded', xAxis: slot - 5_000 }, { xAxis: slot + 5_000 }],
    ]);
  });

  it('keeps the range and the chosen agents in the URL and asks for them', async () => {
    const asked: URLSearchParams[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/counters')) asked.push(new URL(request.url).searchParams);
    });
    const { user, router } = renderApp('/projects/demoshop/dashboard?agents=2');
    await waitFor(() => expect(tile('Agents').getByText('1 / 1')).toBeInTheDocument());
    expect(asked.every((q) => q.get('agent') === '2')).toBe(true);
    // The history asks for a chart's width in points (jsdom has no layout: the collector's maximum).
    expect(asked.some((q) => q.get('points') === '1000')).toBe(true);

    await user.click(screen.getByRole('button', { name: '1h' }));
    expect(new URLSearchParams(router.state.location.search).get('range')).toBe('1h');
    await waitFor(() =>
      expect(asked.some((q) => Number(q.get('to')) - Number(q.get('from')) === 3_600_000)).toBe(true),
    );
    expect(tile('Errors').getByText(/^last 1 h/)).toBeInTheDocument();

    await user.click(screen.getByText('1 of 4 agents'));
    await user.click(screen.getByRole('checkbox', { name: /shop-0-11-gunicorn/ }));
    expect(new URLSearchParams(router.state.location.search).get('agents')).toBe('1,2');
    await waitFor(() => expect(tile('Agents').getByText('2 / 2')).toBeInTheDocument());
    // Several agents are asked for together: the totals are theirs.
    expect(asked.at(-1)!.get('agent')).toBe('1,2');
  });

  it('draws charts whose tooltips escape agent names', async () => {
    server.use(
      http.get(routePatterns.agents, () =>
        HttpResponse.json(
          agentListSchema.parse({
            agents: [
              {
                id: 1, objectName: '<img src=x onerror=alert(1)>', appName: 'a', processName: 'p', hostname: 'h',
                ip: '10.0.0.1', pid: 1, agentVersion: '0.1.0', pythonVersion: '3.11', firstSeen: new Date().toISOString(),
                lastSeen: new Date().toISOString(), status: 'active', statusSince: new Date().toISOString(), tps: 1, respTime: 1,
                dropped: { hour: 0, day: 0 },
              },
            ],
          }),
        ),
      ),
    );
    renderApp('/projects/demoshop/dashboard');
    await waitFor(() => expect(charts.options.length).toBeGreaterThanOrEqual(6));
    type Option = { series: Array<{ name: string }>; tooltip: { formatter: (p: unknown) => string } };
    const cpu = (charts.options as Option[]).find((o) => o.series.some((s) => s.name.startsWith('<img')))!;
    const html = cpu.tooltip.formatter([{ seriesName: cpu.series[0]!.name, value: [Date.now(), 12] }]);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    // The agent name is text on the page too, never markup.
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('points a project without agents to the install guide', async () => {
    renderApp('/projects/billapi2/dashboard');
    expect(await screen.findByRole('heading', { name: 'No data yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the install guide' })).toHaveAttribute('href', '/projects/billapi2/install');
  });
});
