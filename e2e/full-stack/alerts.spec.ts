import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentListSchema } from '../../src/api/agents';
import { startUnderAgent } from '../fixtures/agent-app';
import { startCollector, type RunningCollector } from '../fixtures/collector';
import {
  agentEnv,
  freeLoopbackPort,
  installAgentFromCollector,
  ProcessGroups,
  ROOT,
  run,
  startInventoryService,
  tail,
} from '../fixtures/full-stack-processes';
import { saveScreenshot } from '../fixtures/screenshots';
import { startWebhookReceiver, type ReceivedWebhook } from '../fixtures/webhook-receiver';

// Alerts end to end, nothing mocked: a collector evaluating every second, the Flask shop under
// gunicorn with the agent installed by pip, a webhook receiver on loopback checking the HMAC
// signature. In Chromium: a webhook channel (tested) and the rule "average response time > 500 ms
// over 1 min". The shop turns slow (/report takes 1.1 s): the incident opens on the Alerts page
// and the receiver gets it; the shop turns fast again (/search): the incident resolves.
test.describe.configure({ mode: 'serial' });

const ADMIN = { username: 'alerts-admin', password: 'a-long-enough-password' };
const HEADERS = { 'x-tapscope-client': 'console' };
const SECRET = 'full-stack-webhook-secret-7f3a';
const APPS_DIR = path.join(ROOT, 'e2e', 'full-stack', 'apps');
const RULE = 'Shop is slow';

let collector: (RunningCollector & { stop: () => Promise<void> }) | undefined;
let inventory: Awaited<ReturnType<typeof startInventoryService>> | undefined;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
const procs = new ProcessGroups();
let work = '';
let context: BrowserContext;
let page: Page;
let pcode = '';
let shop: { port: number; log: string; child?: ChildProcess } = { port: 0, log: '' };

/** Requests to the shop, two at a time (gunicorn has two workers), until `stop()`. */
function drive(pathAndQuery: string): { stop: () => Promise<void>; sent: () => number } {
  let running = true;
  let sent = 0;
  const loop = async () => {
    while (running) {
      await fetch(`http://127.0.0.1:${shop.port}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) })
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      sent += 1;
    }
  };
  const loops = [loop(), loop()];
  return {
    sent: () => sent,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

const webhooks = (event: string): ReceivedWebhook[] => (receiver?.received ?? []).filter((w) => w.event === event);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  work = mkdtempSync(path.join(tmpdir(), 'tapscope-alerts-'));
  // Evaluate every second, retry a failed notification after a second: the test waits less.
  const config = path.join(work, 'tapscope.json');
  writeFileSync(config, JSON.stringify({ alerts: { evaluateEveryMs: 1000, retryBaseMs: 1000 } }));
  const started = await Promise.allSettled([
    startCollector(['--config', config]).then((c) => (collector = c)),
    startInventoryService().then((s) => (inventory = s)),
    startWebhookReceiver(SECRET).then((r) => (receiver = r)),
  ]);
  for (const r of started) if (r.status === 'rejected') throw r.reason;
  if (!collector || !inventory) throw new Error('unreachable: the collector or the inventory service is missing');

  context = await browser.newContext({ baseURL: collector.baseURL, viewport: { width: 1360, height: 860 } });
  page = await context.newPage();
  const api = page.request;
  expect((await api.post('/api/v1/setup', { data: { ...ADMIN, token: collector.setupToken }, headers: HEADERS })).status()).toBe(201);
  expect((await api.post('/api/v1/session', { data: ADMIN, headers: HEADERS })).ok()).toBe(true);
  const regions = (await (await api.get('/api/v1/regions')).json()) as { regions: Array<{ id: string }> };
  const created = await api.post('/api/v1/projects', {
    data: { name: 'Alerting shop', region: regions.regions[0]!.id, timezone: 'UTC' },
    headers: HEADERS,
  });
  expect(created.status()).toBe(201);
  pcode = ((await created.json()) as { project: { pcode: string } }).project.pcode;
  const { key } = (await (await api.post(`/api/v1/projects/${pcode}/licenses`, { data: { label: 'alerts' }, headers: HEADERS })).json()) as {
    key: string;
  };

  // The agent, installed and configured as the install guide says, and the shop under it.
  const { venv } = await installAgentFromCollector(work, collector.baseURL);
  const home = path.join(work, 'shop-whatap');
  const env = agentEnv(venv, home, { SHOP_DB: path.join(work, 'shop.sqlite3'), SHOP_INVENTORY_URL: inventory.url });
  const configured = await run(
    path.join(venv, 'bin', 'whatap-setting-config'),
    ['--host', '127.0.0.1', '--port', String(collector.ingestPort), '--license', key, '--app_name', 'shop', '--app_process_name', 'gunicorn'],
    { env, cwd: work },
  );
  expect(configured.code, configured.stdout + configured.stderr).toBe(0);
  procs.trackHome(venv, home);
  shop = { port: await freeLoopbackPort(), log: path.join(work, 'shop.log') };
  shop.child = await startUnderAgent(procs, {
    venv,
    env,
    command: ['gunicorn', '-w', '2', '-b', `127.0.0.1:${shop.port}`, '--chdir', APPS_DIR, 'shop_flask:app'],
    cwd: work,
    log: shop.log,
    port: shop.port,
  });
  await expect
    .poll(async () => agentListSchema.parse(await (await api.get(`/api/v1/projects/${pcode}/agents`)).json()).agents.length, {
      timeout: 60_000,
      message: `the shop's agent never connected:\n${tail(shop.log)}`,
    })
    .toBe(1);
});

test.afterAll(async () => {
  await context?.close();
  await procs.stopAll();
  await inventory?.close();
  await receiver?.close();
  await collector?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a webhook channel: created in the console, its test notification signed and received', async () => {
  await page.goto(`/projects/${pcode}/alerts?tab=channels`);
  await expect(page.getByRole('heading', { name: 'No channels yet' })).toBeVisible();
  await page.getByRole('button', { name: 'New channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'New channel' });
  await dialog.getByLabel('Name').fill('Ops receiver');
  await dialog.getByLabel('URL').fill(receiver!.url);
  await dialog.getByLabel('Signing secret').fill(SECRET);
  await dialog.getByRole('button', { name: 'Add channel' }).click();
  await expect(dialog).toBeHidden();

  const card = page.getByRole('article', { name: 'Channel Ops receiver' });
  await expect(card).toContainText('Signing secret set (••••••7f3a)');
  await expect(page.locator('body')).not.toContainText(SECRET);
  await card.getByRole('button', { name: 'Send a test notification' }).click();
  await expect(card.getByRole('status')).toContainText(/Test notification sent \(answer 204\) in .+\./);
  expect(webhooks('test')).toHaveLength(1);
  expect(webhooks('test')[0]!.signatureValid).toBe(true);
  expect(webhooks('test')[0]!.body).toMatchObject({ version: 1, event: 'test', incident: null, project: { pcode } });
  await card.getByRole('button', { name: /Delivery log/ }).click();
  await expect(card.getByRole('table', { name: 'Delivery log of Ops receiver' })).toContainText('Test');
  await saveScreenshot(page, 'full-stack-alerts-channel');
});

test('the rule "average response time > 500 ms over 1 min" fires on a slow shop and resolves when it is fast again', async () => {
  test.setTimeout(360_000);
  await page.goto(`/projects/${pcode}/alerts?tab=rules`);
  await page.getByRole('button', { name: 'New rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New alert rule' });
  await dialog.getByLabel('Name').fill(RULE);
  await dialog.getByLabel('Condition').selectOption('response_time');
  await dialog.getByRole('textbox', { name: 'Threshold' }).fill('500');
  await dialog.getByLabel('Window').selectOption('60');
  await dialog.getByLabel('Severity').selectOption('critical');
  await dialog.getByLabel('Repeat').fill('0');
  await dialog.getByRole('checkbox', { name: /Ops receiver/ }).check();
  await expect(dialog.getByRole('status').filter({ hasText: /Would (not )?have fired/ })).toBeVisible({ timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Create rule' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('table', { name: 'Alert rules' }).getByRole('row').filter({ hasText: RULE });
  await expect(row).toContainText('average response time > 500 ms over 1 min');

  // Slow: every request takes 1.1 s.
  const slow = drive('/report?month=nov');
  try {
    await page.goto(`/projects/${pcode}/alerts`);
    const open = page.getByRole('table', { name: 'Incidents' }).getByRole('row').filter({ hasText: RULE });
    await expect(async () => {
      await page.reload();
      await expect(open).toContainText('Open', { timeout: 3_000 });
    }).toPass({ timeout: 150_000, intervals: [3_000] });
    await expect(open).toContainText('Critical');
    await expect(open).toContainText('Whole project');
    await expect.poll(() => webhooks('firing').length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const firing = webhooks('firing')[0]!;
    expect(firing.signatureValid).toBe(true);
    expect(firing.body).toMatchObject({
      event: 'firing',
      project: { pcode },
      incident: { state: 'open', severity: 'critical', threshold: 500, unit: 'ms', scope: { key: 'project' } },
      rule: { name: RULE, kind: 'response_time', stat: 'avg', windowSec: 60 },
    });
    expect((firing.body as { incident: { value: number } }).incident.value).toBeGreaterThan(500);
    await expect(page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: /Alerts/ })).toContainText('1');
    await saveScreenshot(page, 'full-stack-alerts-open');
  } finally {
    await slow.stop();
  }
  expect(slow.sent()).toBeGreaterThan(10);

  // Fast again: /search answers in milliseconds; the 1-minute window slides past the slow part.
  const fast = drive('/search?q=shoes&page=1');
  try {
    await expect.poll(() => webhooks('resolved').length, { timeout: 180_000, intervals: [2_000] }).toBeGreaterThanOrEqual(1);
    expect(webhooks('resolved')[0]!.signatureValid).toBe(true);
    expect(webhooks('resolved')[0]!.body).toMatchObject({ event: 'resolved', incident: { state: 'resolved' }, rule: { name: RULE } });
  } finally {
    await fast.stop();
  }

  await page.goto(`/projects/${pcode}/alerts?state=resolved`);
  const resolved = page.getByRole('table', { name: 'Incidents' }).getByRole('row').filter({ hasText: RULE });
  await expect(resolved).toContainText('Resolved');
  await resolved.getByRole('link', { name: RULE }).click();
  await expect(page.getByRole('heading', { name: new RegExp(RULE) })).toContainText('Resolved');
  const notifications = page.getByRole('table', { name: 'Notifications' });
  await expect(notifications).toContainText('Firing');
  await expect(notifications).toContainText('Resolved');
  await expect(notifications).toContainText('Ops receiver');
  await saveScreenshot(page, 'full-stack-alerts-resolved');
  // The open list is empty again and says so.
  await page.goto(`/projects/${pcode}/alerts`);
  await expect(page.getByRole('heading', { name: 'No open incident' })).toBeVisible();
});
