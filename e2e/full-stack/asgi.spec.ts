import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { transactionListSchema } from '../../src/api/transactions';
import { startCollector, type RunningCollector } from '../fixtures/collector';
import { createProject, issueAndCopyKey, setUpAdmin } from '../fixtures/console-flow';
import {
  agentEnv,
  filesUnder,
  findBytes,
  freeLoopbackPort,
  installAgentFromCollector,
  ProcessGroups,
  ROOT,
  run,
  tail,
  waitHttp,
} from '../fixtures/full-stack-processes';
import { saveScreenshot } from '../fixtures/screenshots';

// An async service, nothing mocked: a FastAPI app using SQLAlchemy over sqlite3, under uvicorn
// with 2 workers, started with whatap-start-agent and the agent installed from the collector.
// Its transactions are named by route (/orders/{order_id}), reach the hitmap, and a profile
// shows each SQL statement once with parameters revealed by the app's security key.
test.describe.configure({ mode: 'serial' });

const ADMIN = { username: 'async-admin', password: 'a-long-enough-password' };
const APPS_DIR = path.join(ROOT, 'e2e', 'full-stack', 'apps');
/** Reaches the agent only as parameters (query string, SQL bind value). */
const COUPON = 'spring-coupon-4471';
const ROUTE = '/orders/{order_id}';

let collector: (RunningCollector & { stop: () => Promise<void> }) | undefined;
let work = '';
let venv = '';
let home = '';
let port = 0;
let log = '';
let paramkey = '';
let pcode = '';
let server: ChildProcess | undefined;
let context: BrowserContext;
let page: Page;
const procs = new ProcessGroups();

const shot = (name: string) => saveScreenshot(page, `full-stack-asgi-${name}`);

async function get(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  await res.arrayBuffer();
  return res.status;
}

async function listTransactions(params: Record<string, string | number>) {
  const to = Date.now();
  const res = await page.request.get(`/api/v1/projects/${pcode}/transactions`, {
    params: { from: to - 10 * 60_000, to, limit: 1000, ...params },
  });
  expect(res.status()).toBe(200);
  return transactionListSchema.parse(await res.json());
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  work = mkdtempSync(path.join(tmpdir(), 'tapscope-asgi-'));
  home = path.join(work, 'orders-whatap');
  log = path.join(work, 'orders.log');
  collector = await startCollector();
  venv = (await installAgentFromCollector(work, collector.baseURL)).venv;
  procs.trackHome(venv, home);
  port = await freeLoopbackPort();
  context = await browser.newContext({
    baseURL: collector.baseURL,
    viewport: { width: 1360, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = await context.newPage();
});

// Playwright reads the fixtures a hook needs from its destructured first argument: none here.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  await testInfo.attach('orders-server.log', { body: tail(log, 20_000), contentType: 'text/plain' });
  for (const file of filesUnder(path.join(home, 'logs')))
    await testInfo.attach(path.basename(file), { path: file, contentType: 'text/plain' });
  if (collector) await testInfo.attach('collector-output.txt', { body: collector.output().slice(-20_000), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
  await procs.stopAll();
  await collector?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a FastAPI service under uvicorn starts with whatap-start-agent and the guide’s commands', async () => {
  test.setTimeout(180_000);
  await page.goto('/');
  await setUpAdmin(page, ADMIN.username, ADMIN.password, 'full-stack-asgi', collector!.setupToken);
  pcode = await createProject(page, {
    name: 'Orders API',
    regionLabel: /^Local/,
    group: 'Commerce',
    timezone: 'UTC',
    shot: 'full-stack-asgi',
    fromEmpty: true,
  });
  const license = await issueAndCopyKey(page, pcode, 'full-stack-asgi');

  await page.getByLabel('WHATAP_HOME', { exact: true }).fill(home);
  await page.getByLabel('Application name', { exact: true }).fill('orders');
  await page.getByLabel('Process name', { exact: true }).fill('uvicorn');
  const tabs = page.getByRole('tablist', { name: 'How your app is started' });
  await tabs.getByRole('tab', { name: 'Uvicorn', exact: true }).click();
  await expect(page.getByRole('figure', { name: 'Uvicorn start command' })).toContainText(
    'whatap-start-agent uvicorn main:app',
  );
  await shot('guide');
  const commands: string[] = [];
  for (const label of ['WHATAP_HOME command', 'whatap-setting-config command'])
    commands.push((await page.getByRole('figure', { name: label }).locator('code').textContent()) ?? '');
  const configured = await run('bash', ['-c', commands.join('\n')], { env: agentEnv(venv, home), cwd: work, timeoutMs: 60_000 });
  expect(configured.code, `${configured.stdout}\n${configured.stderr}`).toBe(0);
  appendFileSync(path.join(home, 'whatap.conf'), 'profile_http_parameter_enabled=true\nprofile_sql_param_enabled=true\n');
  paramkey = readFileSync(path.join(home, 'paramkey.txt'), 'utf8').replace(/\n$/, '');
  expect(license).toMatch(/^tsl_/);

  // The guide's uvicorn line, with this app and a free port.
  server = procs.start(
    path.join(venv, 'bin', 'whatap-start-agent'),
    ['uvicorn', '--workers', '2', '--host', '127.0.0.1', '--port', String(port), 'orders_fastapi:app'],
    { env: agentEnv(venv, home, { ORDERS_DB: path.join(work, 'orders.sqlite3') }), cwd: APPS_DIR, log },
  );
  await waitHttp(`http://127.0.0.1:${port}/nothing-here`, server, log, 60_000);

  // Forty orders at once through the two event loops, two slow reports, two failing payments.
  const base = `http://127.0.0.1:${port}`;
  const urls = [
    ...Array.from({ length: 40 }, (_, i) => `${base}/orders/${100 + i}?coupon=${COUPON}`),
    `${base}/reports/2026-11`,
    `${base}/reports/2026-12`,
    `${base}/payments/7`,
    `${base}/payments/8`,
  ];
  const statuses = await Promise.all(urls.map(get));
  expect(statuses.filter((s) => s === 200)).toHaveLength(42);
  expect(statuses.filter((s) => s === 500)).toHaveLength(2);

  await page.goto(`/projects/${pcode}/agents`);
  const table = page.getByRole('table', { name: 'Agents of this project' });
  await expect(table.locator('tbody tr').first()).toContainText('orders', { timeout: 30_000 });
  await expect(table.locator('tbody tr').first()).toContainText('Active');
});

test('the hitmap shows the service’s transactions named by route, and a drag lists them', async () => {
  test.setTimeout(90_000);
  await expect.poll(async () => (await listTransactions({})).total, { timeout: 30_000 }).toBeGreaterThanOrEqual(44);
  await page.goto(`/projects/${pcode}/hitmap?win=5m`);
  const count = page.getByTestId('hitmap-count');
  await expect
    .poll(async () => Number(((await count.textContent()) ?? '0').replace(/,/g, '').split(' ')[0]) || 0, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(44);
  await expect(count).toContainText(/2 errors/);
  await page.waitForTimeout(1_000);
  await shot('hitmap');

  const box = (await page.getByTestId('hitmap-plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + 1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width + 20, box.y + box.height + 20, { steps: 10 });
  await page.mouse.up();
  await expect(page).toHaveURL(/mode=range/);
  const rows = page.locator('table tbody tr.tx-row');
  for (const name of [ROUTE, '/reports/{month}', '/payments/{order_id}'])
    await expect(rows.filter({ hasText: name }).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('main')).not.toContainText(COUPON);
  await shot('hitmap-selected');

  const all = (await listTransactions({})).transactions;
  const names = new Set(all.map((t) => t.url));
  expect([...names].sort()).toEqual(['/nothing-here', ROUTE, '/payments/{order_id}', '/reports/{month}']);
  expect(all.filter((t) => t.url === ROUTE)).toHaveLength(40);
  expect(Math.min(...all.filter((t) => t.url === '/reports/{month}').map((t) => t.elapsed))).toBeGreaterThanOrEqual(1_000);
  expect(all.filter((t) => t.url === '/payments/{order_id}').every((t) => t.status === 500 && !!t.error)).toBe(true);
});

test('a profile shows each SQL statement once; the security key reveals the parameters', async () => {
  test.setTimeout(90_000);
  const txid = (await listTransactions({ url: ROUTE, limit: 1 })).transactions[0]!.txid;
  await page.goto(`/projects/${pcode}/transactions/${txid}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`GET ${ROUTE}`);
  const steps = page.getByRole('tabpanel');
  // SQLAlchemy over sqlite3: one step per statement, not one from each layer.
  await expect(steps.locator('pre.sql').filter({ hasText: 'INSERT INTO orders (ref, coupon) VALUES (?, ?)' })).toHaveCount(1);
  await expect(steps.locator('pre.sql').filter({ hasText: /SELECT orders\.id, orders\.coupon\s+FROM orders/ })).toHaveCount(1);
  await expect(page.locator('main')).not.toContainText(COUPON);
  await shot('profile-locked');

  await page.getByLabel('Security key').fill(paramkey);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByText('Parameters decrypted in this browser')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'HTTP parameters' }).getByRole('row').filter({ hasText: 'coupon' })).toContainText(COUPON);
  await expect(steps.locator('pre.sql').filter({ hasText: 'INSERT INTO orders' })).toContainText(`'${COUPON}')`);
  await expect(steps.locator('pre.sql').filter({ hasText: /SELECT orders\.id/ })).toContainText(`orders.coupon = '${COUPON}'`);
  await shot('profile-revealed');

  // The failing request: its exception is on the transaction, not on a "background" one.
  const failing = (await listTransactions({ url: '/payments/{order_id}', limit: 1 })).transactions[0]!;
  await page.goto(`/projects/${pcode}/transactions/${failing.txid}`);
  await expect(page.locator('main')).toContainText('RuntimeError');
  await expect(page.locator('main')).toContainText('the payment service is unavailable');

  // Nothing of the parameters in clear in the collector's files.
  expect(findBytes(collector!.dataDir, [COUPON, paramkey])).toEqual([]);
});
