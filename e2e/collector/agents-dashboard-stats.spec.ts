import type { APIRequestContext, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { ProtocolAgent } from '../../collector/demo/agent-client';
import { CounterWindow, TrafficGenerator } from '../../collector/demo/generator';
import { agentListSchema } from '../../src/api/agents';
import { counterSeriesSchema, type CounterPoint, type CounterSeries } from '../../src/api/counters';
import { statTableSchema, type StatTable } from '../../src/api/stats';
import { formatDuration, formatNumber } from '../../src/lib/format';
import { expect, test } from '../fixtures/collector';
import { saveScreenshot } from '../fixtures/screenshots';

// Agents, dashboard and statistics on a real collector fed by the demo traffic generator
// through the ingest protocol, as Python agents would. The tests share the collector and the
// traffic, and build on each other.
test.describe.configure({ mode: 'serial' });

const ADMIN = { username: 'ops-admin', password: 'a-long-enough-password' };
const AGENT_NAMES = ['shop-10-1-gunicorn', 'shop-10-2-gunicorn', 'shop-10-3-uwsgi'];

/** Demo agents: each sends a batch of transactions every 500 ms and its counter every 5 s. */
class DemoTraffic {
  private readonly agents: Array<{ agent: ProtocolAgent; stop: () => void }> = [];

  async start(ingestPort: number, license: string): Promise<void> {
    for (const [i, objectName] of AGENT_NAMES.entries()) {
      const pid = 4100 + i;
      const agent = new ProtocolAgent({
        host: '127.0.0.1',
        port: ingestPort,
        license,
        hello: { objectName, appName: 'shop', processName: objectName.split('-').at(-1)!, hostname: `web-${i + 1}`, ip: `10.0.1.${i + 1}`, pid },
      });
      await agent.connect();
      const gen = new TrafficGenerator({ seed: 11 + i, txidPrefix: `e${i}` });
      const window = new CounterWindow(pid, 101 + i);
      const batches = setInterval(() => {
        const now = Date.now();
        const txs = Array.from({ length: 4 + i }, (_, k) => gen.transaction(now - k * 50));
        for (const tx of txs) window.add(tx);
        agent.sendTransactions(txs).catch(() => {});
      }, 500);
      // Counters on 5-second boundaries, as the agent sends them.
      let counters: NodeJS.Timeout | undefined;
      const first = setTimeout(() => {
        const tick = () => {
          agent.sendCounters([window.take(Math.floor(Date.now() / 5000) * 5000)]).catch(() => {});
          agent.heartbeat();
        };
        tick();
        counters = setInterval(tick, 5000);
      }, 5000 - (Date.now() % 5000) + 50);
      this.agents.push({
        agent,
        stop: () => {
          clearInterval(batches);
          clearTimeout(first);
          clearInterval(counters);
          agent.close();
        },
      });
    }
  }

  stop(index: number): void {
    this.agents[index]?.stop();
  }

  stopAll(): void {
    for (const a of this.agents) a.stop();
  }
}

const traffic = new DemoTraffic();
let pcode = '';

test.afterAll(() => traffic.stopAll());

async function signIn(request: APIRequestContext) {
  const res = await request.post('/api/v1/session', {
    data: ADMIN,
    headers: { 'x-tapscope-client': 'console' },
  });
  expect(res.ok()).toBe(true);
}

/** Records every JSON answer of the API paths containing `part` that the page receives. */
function recordAnswers(page: Page, part: string): Array<{ url: URL; body: unknown }> {
  const seen: Array<{ url: URL; body: unknown }> = [];
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (!url.pathname.includes(part) || !res.ok()) return;
    try {
      seen.push({ url, body: await res.json() });
    } catch {
      // navigation raced the body: ignore
    }
  });
  return seen;
}

test('agents appear when traffic starts, and one goes inactive when it stops', async ({ page, collector }) => {
  const headers = { 'x-tapscope-client': 'console' };
  const api = page.request;
  expect((await api.post('/api/v1/setup', { data: { ...ADMIN, token: collector.setupToken }, headers })).status()).toBe(201);
  const regions = (await (await api.get('/api/v1/regions')).json()) as { regions: Array<{ id: string }> };
  const created = await api.post('/api/v1/projects', {
    data: { name: 'E2E shop', region: regions.regions[0]!.id, timezone: 'UTC' },
    headers,
  });
  expect(created.status()).toBe(201);
  pcode = ((await created.json()) as { project: { pcode: string } }).project.pcode;
  const issued = await api.post(`/api/v1/projects/${pcode}/licenses`, { data: { label: 'e2e' }, headers });
  const { key } = (await issued.json()) as { key: string };

  await page.goto(`/projects/${pcode}/agents`);
  await expect(page.getByRole('heading', { name: 'No agents yet' })).toBeVisible();

  await traffic.start(collector.ingestPort, key);
  const table = page.getByRole('table', { name: 'Agents of this project' });
  // The page refreshes on its own: no reload.
  await expect(table.locator('tbody tr')).toHaveCount(3, { timeout: 15_000 });
  const counts = page.getByRole('group', { name: 'Agent counts' });
  await expect(counts).toContainText('3Total');
  await expect(counts).toContainText('3Active');
  for (const name of AGENT_NAMES) await expect(table.locator('tr', { hasText: name })).toContainText('Active');
  const row = table.locator('tr', { hasText: 'shop-10-2-gunicorn' });
  await expect(row).toContainText('web-2');
  await expect(row).toContainText('10.0.1.2');
  await expect(row).toContainText('4101');
  // TPS arrives with the first counter (5-second boundary).
  await expect(row.locator('td').nth(7)).toHaveText(/^\d+(\.\d)?$/, { timeout: 15_000 });
  await saveScreenshot(page, 'collector-agents');

  traffic.stop(2);
  const stopped = table.locator('tr', { hasText: 'shop-10-3-uwsgi' });
  await expect(stopped).toContainText('Inactive', { timeout: 15_000 });
  await expect(counts).toContainText('2Active');
  await expect(counts).toContainText('1Inactive');
  const listed = agentListSchema.parse(await (await api.get(`/api/v1/projects/${pcode}/agents`)).json());
  expect(listed.agents.map((a) => [a.objectName, a.status])).toEqual([
    ['shop-10-1-gunicorn', 'active'],
    ['shop-10-2-gunicorn', 'active'],
    ['shop-10-3-uwsgi', 'inactive'],
  ]);
  await saveScreenshot(page, 'collector-agents-one-inactive');
});

test('the dashboard shows the numbers the counters API answers', async ({ page }) => {
  await signIn(page.request);
  const answers = recordAnswers(page, '/counters');
  await page.goto(`/projects/${pcode}/dashboard`);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  const latestOf = (live: boolean): CounterSeries | undefined => {
    const hit = answers.findLast(({ url }) => {
      const span = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
      return live ? span <= 30_000 : span === 600_000;
    });
    return hit && counterSeriesSchema.parse(hit.body);
  };
  const tile = (name: string) => page.getByRole('group', { name, exact: true }).locator('.dash-tile__value');

  // The tiles follow the latest answers; poll until the page shows what the API said last.
  await expect
    .poll(async () => {
      const live = latestOf(true);
      if (!live || live.agents.length === 0) return 'no counters yet';
      const latest: CounterPoint[] = live.agents.map((a) => a.latest);
      // Agents two samples behind the newest one have stopped: the dashboard leaves them out of "now".
      const newest = Math.max(...latest.map((p) => p.time));
      const now = latest.filter((p) => p.time >= newest - 10_000);
      const tps = now.reduce((s, p) => s + p.tps, 0);
      const tx = now.reduce((s, p) => s + p.txCount, 0);
      const resp = tx > 0 ? now.reduce((s, p) => s + p.respTime * p.txCount, 0) / tx : null;
      const active = now.reduce((s, p) => s + p.activeBands[0] + p.activeBands[1] + p.activeBands[2], 0);
      const expected = [formatNumber(tps, 1), formatDuration(resp), formatNumber(active)].join(' | ');
      const shown = [await tile('TPS').textContent(), await tile('Response time').textContent(), await tile('Active transactions').textContent()].join(' | ');
      return shown === expected ? 'match' : `shown ${shown}, API ${expected}`;
    }, { timeout: 20_000 })
    .toBe('match');

  await expect
    .poll(async () => {
      const history = latestOf(false);
      if (!history) return 'no history yet';
      const errors = history.total.txError.reduce((s, n) => s + n, 0);
      return (await tile('Errors').textContent()) === formatNumber(errors) ? 'match' : 'differs';
    }, { timeout: 15_000 })
    .toBe('match');

  await expect(page.getByRole('group', { name: 'Agents', exact: true })).toContainText('2 / 3');
  await expect(page.locator('.chart canvas')).toHaveCount(6);
  await page.waitForTimeout(1_000);
  await saveScreenshot(page, 'collector-dashboard');

  // A longer range is served from roll-ups; the URL keeps it.
  await page.getByRole('button', { name: '1d', exact: true }).click();
  await expect(page).toHaveURL(/range=1d/);
  await expect
    .poll(() => answers.some(({ url }) => Number(url.searchParams.get('to')) - Number(url.searchParams.get('from')) === 86_400_000))
    .toBe(true);
});

test('statistics match the API, sort by a header and export as CSV', async ({ page }) => {
  await signIn(page.request);
  const answers = recordAnswers(page, '/stats/');
  await page.goto(`/projects/${pcode}/stats`);
  const table = page.getByRole('table');
  await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 15_000 });
  // The rows can be drawn before the response listener has read the body: wait for it.
  await expect.poll(() => answers.length).toBeGreaterThan(0);
  const api: StatTable = statTableSchema.parse(answers.at(-1)!.body);
  expect(api.kind).toBe('transactions');
  await expect(table.locator('tbody tr')).toHaveCount(api.rows.length);
  for (const r of api.rows) {
    await expect(table.locator('tbody tr', { has: page.getByRole('cell', { name: r.key, exact: true }) }).locator('td').nth(1)).toHaveText(formatNumber(r.count));
  }
  await saveScreenshot(page, 'collector-stats');

  await table.getByRole('button', { name: 'Count' }).click();
  const expectedOrder = [...api.rows].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).map((r) => r.key);
  expect(await table.locator('tbody tr td:first-child').allTextContents()).toEqual(expectedOrder);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = (await readFile((await (await download).path())!, 'utf8')).replace(/^\uFEFF/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe('URL,Count,Errors,Average (ms),p50 (ms),p95 (ms),p99 (ms),Max (ms),Total time (ms),SQL time (ms),HTTP time (ms)');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(expectedOrder);
  expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(
    [...api.rows].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).map((r) => r.count),
  );

  await page.getByRole('tab', { name: 'SQL' }).click();
  await expect(table.getByRole('button', { name: 'Statement' })).toBeVisible();
  await expect(table.locator('tbody tr').first()).toContainText(/SELECT|INSERT|UPDATE/);
  await saveScreenshot(page, 'collector-stats-sql');
});

test('every agent goes inactive when the traffic stops', async ({ page }) => {
  await signIn(page.request);
  await page.goto(`/projects/${pcode}/agents`);
  const counts = page.getByRole('group', { name: 'Agent counts' });
  await expect(counts).toContainText('2Active');
  traffic.stopAll();
  await expect(counts).toContainText('0Active', { timeout: 15_000 });
  await expect(counts).toContainText('3Inactive');
  await expect(page.getByRole('table', { name: 'Agents of this project' }).locator('.badge-success')).toHaveCount(0);
});
