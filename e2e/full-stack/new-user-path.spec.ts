import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentPackageSchema } from '../../src/api/agent-package';
import { agentListSchema, type Agent } from '../../src/api/agents';
import { transactionListSchema } from '../../src/api/transactions';
import { startUnderAgent } from '../fixtures/agent-app';
import { startCollector, type RunningCollector } from '../fixtures/collector';
import { createProject, issueAndCopyKey, setUpAdmin } from '../fixtures/console-flow';
import {
  agentEnv,
  agentPid,
  defaultObjectName,
  filesUnder,
  findBytes,
  localIpTowards,
  ProcessGroups,
  ROOT,
  run,
  startInventoryService,
  tail,
} from '../fixtures/full-stack-processes';
import { saveScreenshot } from '../fixtures/screenshots';

// The whole path of a new user, nothing mocked: a fresh collector, the console in Chromium,
// the agent installed with pip into a virtualenv, configured with the command the install
// guide shows, and two real apps (Flask under gunicorn, Django under uWSGI) started with
// whatap-start-agent. The tests build on each other; every process is stopped in afterAll.
test.describe.configure({ mode: 'serial' });

const ADMIN = { username: 'first-admin', password: 'a-long-enough-password' };
const STRANGER = { username: 'stranger', password: 'stranger-long-password' };
const HEADERS = { 'x-tapscope-client': 'console' };
const APPS_DIR = path.join(ROOT, 'e2e', 'full-stack', 'apps');

/** Values that reach the agent only as parameters: they must never be stored in clear. */
const SECRETS = {
  q: 'shoes',
  card: '4111111111111111',
  month: 'nov-ledger-2207',
  tag: 'gardening',
  author: 'margarethe-quill',
  year: 'y1987-archive',
};

interface AppSpec {
  id: 'shop' | 'blog';
  appName: string;
  processName: string;
  home: string;
  port: number;
  log: string;
  command: () => string[];
  env: Record<string, string>;
  /** Requests with query parameters: fast, slow (~1 s) and failing (500). */
  fast: string;
  slow: string;
  failing: string;
  child?: ChildProcess;
  objectName?: string;
  paramkey?: string;
}

let collector: (RunningCollector & { stop: () => Promise<void> }) | undefined;
let inventory: Awaited<ReturnType<typeof startInventoryService>> | undefined;
let work = '';
let venv = '';
/** The install command pip ran: step 1 of the guide, from the collector's URL. */
let pipLine = '';

/**
 * Installs the agent as step 1 of the install guide says an app host does: into a virtualenv
 * that sees Debian's setuptools and wheel, from the versioned URL the collector serves.
 */
async function installFromCollector(dir: string, baseURL: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/v1/agent-package`);
  const url = new URL(agentPackageSchema.parse(await res.json()).url, baseURL).href;
  const target = path.join(dir, 'venv');
  const made = await run('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', target], { timeoutMs: 120_000 });
  if (made.code !== 0) throw new Error(`python3 -m venv failed:\n${made.stderr}`);
  const args = ['install', '--no-build-isolation', '--no-index', url];
  const pip = await run(path.join(target, 'bin', 'pip'), ['-q', '--disable-pip-version-check', ...args], { cwd: dir, timeoutMs: 300_000 });
  if (pip.code !== 0) throw new Error(`pip install ${url} failed:\n${pip.stdout}\n${pip.stderr}`);
  pipLine = `${target}/bin/pip ${args.join(' ')}`;
  return target;
}
let context: BrowserContext;
let page: Page;
let pcode = '';
let license = '';
let apps: AppSpec[] = [];
let agentsBefore: Agent[] = [];
let background: NodeJS.Timeout | undefined;
const procs = new ProcessGroups();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

function shot(name: string) {
  return saveScreenshot(page, `full-stack-${name}`);
}

async function get(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  await res.arrayBuffer();
  return res.status;
}

/** One round of a user's traffic on an app: fast requests, one slow, one failing. */
async function traffic(app: AppSpec, rounds = 1): Promise<number[]> {
  const base = `http://127.0.0.1:${app.port}`;
  const urls: string[] = [];
  for (let i = 0; i < rounds; i++) urls.push(app.fast, app.fast, app.fast, app.slow, app.failing);
  return Promise.all(urls.map((u) => get(base + u)));
}

/**
 * Light traffic, as a live service has, so the dashboard and the hitmap keep moving: one
 * request every 1.5 s, the apps in turn (a drag then lists well under 150 rows).
 */
function startBackgroundTraffic(): void {
  let turn = 0;
  clearInterval(background);
  background = setInterval(() => {
    const app = apps[turn++ % apps.length]!;
    void get(`http://127.0.0.1:${app.port}${app.fast}`).catch(() => undefined);
  }, 1_500);
}

async function startApp(app: AppSpec): Promise<void> {
  const env = agentEnv(venv, app.home, app.env);
  app.child = await startUnderAgent(procs, { venv, env, command: app.command(), cwd: APPS_DIR, log: app.log, port: app.port });
}

async function listAgents(): Promise<Agent[]> {
  const res = await page.request.get(`/api/v1/projects/${pcode}/agents`);
  expect(res.status()).toBe(200);
  return agentListSchema.parse(await res.json()).agents;
}

async function signedInContext(browser: Browser, user: { username: string; password: string }) {
  const ctx = await browser.newContext({ baseURL: collector!.baseURL });
  const p = await ctx.newPage();
  await p.goto('/login');
  await p.getByLabel('Username').fill(user.username);
  await p.getByLabel('Password').fill(user.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await expect(p.getByRole('heading', { name: 'Projects' })).toBeVisible();
  return { ctx, page: p };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  work = mkdtempSync(path.join(tmpdir(), 'tapscope-full-stack-'));
  // The collector starts while pip installs the agent: two cores, two different waits.
  // Each result is kept as it comes, so afterAll stops what did start if another part failed.
  const started = await Promise.allSettled([
    startCollector()
      .then((c) => (collector = c))
      .then((c) => installFromCollector(work, c.baseURL))
      .then((v) => (venv = v)),
    startInventoryService().then((s) => (inventory = s)),
  ]);
  for (const r of started) if (r.status === 'rejected') throw r.reason;
  if (!collector || !inventory) throw new Error('unreachable: the collector or the inventory service is missing');
  context = await browser.newContext({
    baseURL: collector.baseURL,
    viewport: { width: 1360, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = await context.newPage();

  const [shopPort, blogPort] = [await freePort(), await freePort()];
  apps = [
    {
      id: 'shop',
      appName: 'shop',
      processName: 'gunicorn',
      home: path.join(work, 'shop-whatap'),
      port: shopPort,
      log: path.join(work, 'shop.log'),
      command: () => ['gunicorn', '-w', '2', '-b', `127.0.0.1:${shopPort}`, '--chdir', APPS_DIR, 'shop_flask:app'],
      env: {
        SHOP_DB: path.join(work, 'shop.sqlite3'),
        SHOP_INVENTORY_URL: inventory.url,
      },
      fast: `/search?q=${SECRETS.q}&page=2`,
      slow: `/report?month=${SECRETS.month}`,
      failing: `/checkout?card=${SECRETS.card}`,
    },
    {
      id: 'blog',
      appName: 'blog',
      processName: 'uwsgi',
      home: path.join(work, 'blog-whatap'),
      port: blogPort,
      log: path.join(work, 'blog.log'),
      command: () => [
        'uwsgi',
        '--plugin',
        'python3',
        '--http-socket',
        `127.0.0.1:${blogPort}`,
        '--master',
        '--processes',
        '2',
        '--enable-threads',
        '--die-on-term',
        '--chdir',
        APPS_DIR,
        '--module',
        'blog.wsgi:application',
      ],
      env: {
        BLOG_DB: path.join(work, 'blog.sqlite3'),
        BLOG_INVENTORY_URL: inventory.url,
        DJANGO_SETTINGS_MODULE: 'blog.settings',
      },
      fast: `/articles?tag=${SECRETS.tag}&author=${SECRETS.author}`,
      slow: `/archive?year=${SECRETS.year}`,
      failing: `/comment?author=${SECRETS.author}`,
    },
  ];
  for (const app of apps) procs.trackHome(venv, app.home);
});

/** On a failure, the apps' output and the agents' boot logs go into the report. */
// Playwright reads the fixtures a hook needs from its destructured first argument: none here.
// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const app of apps) {
    await testInfo.attach(`${app.id}-server.log`, { body: tail(app.log, 20_000), contentType: 'text/plain' });
    const logs = filesUnder(path.join(app.home, 'logs'));
    for (const log of logs)
      await testInfo.attach(`${app.id}-${path.basename(log)}`, { path: log, contentType: 'text/plain' });
  }
  if (collector)
    await testInfo.attach('collector-output.txt', {
      body: collector.output().slice(-20_000),
      contentType: 'text/plain',
    });
});

test.afterAll(async () => {
  clearInterval(background);
  await context?.close().catch(() => undefined);
  await procs.stopAll();
  await inventory?.close();
  await collector?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a new user creates the admin, a project in the local region and copies a license key', async () => {
  test.setTimeout(90_000);
  expect(await (await page.request.get('/api/v1/setup')).json()).toEqual({
    needsSetup: true,
  });
  await page.goto('/');
  await setUpAdmin(page, ADMIN.username, ADMIN.password, 'full-stack', collector!.setupToken);
  pcode = await createProject(page, {
    name: 'Web shop',
    regionLabel: /^Local/,
    group: 'Commerce',
    timezone: 'UTC',
    shot: 'full-stack',
    fromEmpty: true,
  });
  license = await issueAndCopyKey(page, pcode, 'full-stack');
});

test('the install guide’s commands configure one WHATAP_HOME per app', async () => {
  test.setTimeout(90_000);
  const guide = page.getByRole('figure', {
    name: 'whatap-setting-config command',
  });
  // The collector listens on a free port, not 6600: the guide says so and sets the port.
  await expect(guide).toContainText(`--port ${collector!.ingestPort}`);
  // Step 1 is how the agent was installed for this run (from the collector's URL, in a temporary
  // venv, not /opt/whatap-venv).
  const install = (await page.getByRole('figure', { name: 'install command' }).locator('code').textContent()) ?? '';
  const [venvLine, guidePipLine, pathLine] = install.replaceAll('/opt/whatap-venv', venv).split('\n');
  expect(venvLine).toBe(`python3 -m venv --system-site-packages ${venv}`);
  expect(guidePipLine).toBe(pipLine);
  expect(pathLine).toBe(`export PATH="${venv}/bin:$PATH"`);
  for (const app of apps) {
    await page.getByLabel('WHATAP_HOME', { exact: true }).fill(app.home);
    await page.getByLabel('Application name', { exact: true }).fill(app.appName);
    await page.getByLabel('Process name', { exact: true }).fill(app.processName);
    await expect(guide).toContainText(`--app_name ${app.appName}`);

    // Steps 2 and 3 of the guide, copied with their Copy buttons as a user does.
    const copied: string[] = [];
    for (const label of ['WHATAP_HOME command', 'whatap-setting-config command']) {
      const block = page.getByRole('figure', { name: label });
      await block.getByRole('button', { name: `Copy ${label}` }).click();
      const text = await page.evaluate(() => navigator.clipboard.readText());
      expect(text).toBe((await block.locator('code').textContent()) ?? '');
      copied.push(text);
    }
    expect(copied[0]).toContain(`export WHATAP_HOME=${app.home}`);
    expect(copied[1]).toContain(`--license ${license}`);
    await shot(`guide-${app.id}`);

    const result = await run('bash', ['-c', copied.join('\n')], {
      env: agentEnv(venv, app.home),
      cwd: work,
      timeoutMs: 60_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('SUCCESS!');
    expect(result.stdout + result.stderr).not.toContain(license); // "never printed in full"

    const conf = path.join(app.home, 'whatap.conf');
    appendFileSync(conf, 'profile_http_parameter_enabled=true\nprofile_sql_param_enabled=true\n');
    const text = readFileSync(conf, 'utf8');
    expect(text).toMatch(new RegExp(`^license=${license}$`, 'm'));
    expect(text).toMatch(/^whatap\.server\.host=127\.0\.0\.1$/m);
    expect(text).toMatch(new RegExp(`^whatap\\.server\\.port=${collector!.ingestPort}$`, 'm'));
    expect(text).toMatch(new RegExp(`^app_process_name=${app.processName}$`, 'm'));
    const keyFile = path.join(app.home, 'paramkey.txt');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    app.paramkey = readFileSync(keyFile, 'utf8').replace(/\n$/, '');
    expect(app.paramkey).toMatch(/^[A-Z2-7]{20}$/);
    // The agent names itself after the address it uses towards the collector.
    app.objectName = defaultObjectName(app.appName, app.processName, await localIpTowards('127.0.0.1'));
  }
  expect(apps[0]!.paramkey).not.toBe(apps[1]!.paramkey);
});

test('Flask under gunicorn and Django under uWSGI start with whatap-start-agent and appear as agents', async () => {
  test.setTimeout(120_000);
  await page.goto(`/projects/${pcode}/agents`);
  await expect(page.getByRole('heading', { name: 'No agents yet' })).toBeVisible();

  await Promise.all(apps.map((app) => startApp(app)));
  // One agent process per WHATAP_HOME, each listening on the Unix socket in its own home's run/
  // (0700 directory, 0600 socket): no port another local user could reach.
  for (const app of apps) {
    const run = statSync(path.join(app.home, 'run'));
    const sock = statSync(path.join(app.home, 'run', 'agent.sock'));
    expect(sock.isSocket(), `no agent socket for ${app.id}:\n${tail(app.log)}`).toBe(true);
    expect([run.mode & 0o777, sock.mode & 0o777]).toEqual([0o700, 0o600]);
    expect(readFileSync(path.join(app.home, 'whatap.conf'), 'utf8')).not.toMatch(/^net_udp_port=/m);
  }
  for (const app of apps) {
    expect(agentPid(app.home), `no whatap_python for ${app.id}:\n${tail(app.log)}`).not.toBeNull();
    const statuses = await traffic(app, 2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
  }
  expect(inventory!.hits()).toBeGreaterThanOrEqual(20);
  startBackgroundTraffic();

  const table = page.getByRole('table', { name: 'Agents of this project' });
  await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 30_000 });
  for (const app of apps) {
    const row = table.locator('tr', { hasText: app.objectName! });
    await expect(row).toContainText('Active', { timeout: 15_000 });
    await expect(row).toContainText(app.appName);
    await expect(row).toContainText(String(agentPid(app.home)));
  }
  await expect(page.getByRole('group', { name: 'Agent counts' })).toContainText('2Active');
  agentsBefore = await listAgents();
  expect(agentsBefore.map((a) => a.objectName).sort()).toEqual(apps.map((a) => a.objectName!).sort());
  // TPS arrives with the first 5-second counter.
  await expect(table.locator('tbody tr').first().locator('td').nth(7)).toHaveText(/^\d+(\.\d)?$/, { timeout: 20_000 });
  await shot('agents');
});

test('the dashboard moves', async () => {
  test.setTimeout(60_000);
  await page.goto(`/projects/${pcode}/dashboard`);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const tile = (name: string) => page.getByRole('group', { name, exact: true }).locator('.dash-tile__value');
  await expect(tile('TPS')).toHaveText(/^(?!0(\.0)?$)\d+(\.\d)?$/, {
    timeout: 20_000,
  });
  await expect(tile('Errors')).toHaveText(/^[1-9]\d*$/, { timeout: 20_000 });
  await expect(tile('Agents')).toHaveText('2 / 2');
  await page.waitForTimeout(1_500); // let the charts draw
  await shot('dashboard');
});

test('the hitmap shows the requests and a drag lists them', async () => {
  test.setTimeout(60_000);
  await page.goto(`/projects/${pcode}/hitmap?win=5m`);
  const count = page.getByTestId('hitmap-count');
  await expect
    .poll(async () => Number(((await count.textContent()) ?? '0').replace(/,/g, '').split(' ')[0]) || 0, {
      timeout: 20_000,
    })
    .toBeGreaterThanOrEqual(20);
  await expect(count).toContainText(/[1-9]\d* errors?/);
  await page.waitForTimeout(1_000);
  await shot('hitmap');

  // The traffic began a minute or two ago: the right half of the 5-minute window, all heights,
  // up to now. A pause first, so nothing lands between the hitmap's and the list's answers.
  clearInterval(background);
  await page.waitForTimeout(2_000);
  const box = (await page.getByTestId('hitmap-plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + 1);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width + 20, box.y + box.height + 20, {
    steps: 10,
  });
  await page.mouse.up();
  await expect(page).toHaveURL(/mode=range/);
  const params = new URL(page.url()).searchParams;
  const query: Record<string, string> = {
    from: params.get('sf')!,
    to: params.get('st')!,
    limit: '1000',
    sort: 'end',
  };
  if (params.get('smin')) query.minElapsed = params.get('smin')!;
  if (params.get('smax')) query.maxElapsed = params.get('smax')!;
  const listed = transactionListSchema.parse(
    await (
      await page.request.get(`/api/v1/projects/${pcode}/transactions`, {
        params: query,
      })
    ).json(),
  );
  expect(listed.total).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId('selection-total')).toContainText(
    `${listed.total.toLocaleString('en-US')} transaction`,
    { timeout: 15_000 },
  );
  // What the hitmap counts in the rectangle is what the server lists, the newest points included.
  // (the hitmap's own count is shown only while it differs from the list's)
  await expect(page.getByTestId('selection-instant')).toHaveCount(0);
  startBackgroundTraffic();

  const rows = page.locator('table tbody tr.tx-row');
  for (const url of ['/search', '/report', '/checkout', '/articles', '/archive', '/comment']) {
    await expect(rows.filter({ hasText: url }).first()).toBeVisible();
  }
  for (const app of apps) await expect(rows.filter({ hasText: app.objectName! }).first()).toBeVisible();
  // Paths only: the query strings are nowhere in the list.
  await expect(page.locator('main')).not.toContainText(SECRETS.q);
  const slow = listed.transactions.filter((t) => t.url === '/report' || t.url === '/archive');
  expect(slow.length).toBeGreaterThanOrEqual(4);
  expect(Math.min(...slow.map((t) => t.elapsed))).toBeGreaterThanOrEqual(1_000);
  const failed = listed.transactions.filter((t) => t.url === '/checkout' || t.url === '/comment');
  expect(failed.every((t) => t.status === 500 && !!t.error)).toBe(true);
  await shot('hitmap-selected');
});

test('a profile shows SQL and HTTP-call steps; the security key reveals the parameters', async () => {
  test.setTimeout(90_000);
  const shop = apps[0]!;
  const blog = apps[1]!;
  const row = page.locator('table tbody tr.tx-row', { hasText: '/search' }).first();
  await row.locator('a').first().click();
  await expect(page).toHaveURL(/\/transactions\/[^/?]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('GET /search');
  const steps = page.getByRole('tabpanel');
  await expect(
    steps.locator('pre.sql').filter({ hasText: 'INSERT INTO products (name, page) VALUES (?, ?)' }),
  ).toBeVisible();
  await expect(steps.locator('pre.sql').filter({ hasText: /SELECT id, name\s+FROM products/ })).toBeVisible();
  await expect(steps.getByText(`${inventory!.url}/stock`, { exact: true })).toBeVisible();
  await expect(page.getByText(/parameters encrypted — enter the security key/)).toBeVisible();
  await expect(page.getByText('HTTP parameters encrypted')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(SECRETS.q);
  await shot('profile-locked');

  await page.getByLabel('Security key').fill(blog.paramkey!); // a real key, of the other app
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('alert')).toHaveText('wrong security key', {
    timeout: 30_000,
  });
  await expect(page.locator('main')).not.toContainText(SECRETS.q);
  await shot('profile-wrong-key');

  await page.getByLabel('Security key').fill(shop.paramkey!);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByText('Parameters decrypted in this browser')).toBeVisible({ timeout: 30_000 });
  const http = page.getByRole('table', { name: 'HTTP parameters' });
  await expect(http.getByRole('row').filter({ hasText: 'q' })).toContainText(SECRETS.q);
  await expect(http.getByRole('row').filter({ hasText: 'page' })).toContainText('2');
  await expect(steps.locator('pre.sql').filter({ hasText: 'INSERT INTO products' })).toContainText(
    `VALUES ('${SECRETS.q}', 2)`,
  );
  const select = steps.locator('pre.sql').filter({ hasText: /SELECT id, name/ });
  await expect(select).toContainText(`name = '${SECRETS.q}'`);
  // The literal of the app's SQL text comes back as it was written: a number, not a string.
  await expect(select).toContainText('LIMIT 20');
  await shot('profile-revealed');

  // The Django app's profile, with its own key.
  const to = Date.now();
  const list = transactionListSchema.parse(
    await (
      await page.request.get(`/api/v1/projects/${pcode}/transactions`, {
        params: { from: to - 10 * 60_000, to, url: '/articles', limit: 1 },
      })
    ).json(),
  );
  await page.goto(`/projects/${pcode}/transactions/${list.transactions[0]!.txid}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('GET /articles');
  await expect(
    steps.locator('pre.sql').filter({ hasText: 'INSERT INTO articles (tag, author) VALUES (?, ?)' }),
  ).toBeVisible();
  await expect(steps.getByText(`${inventory!.url}/stock`, { exact: true })).toBeVisible();
  await page.getByLabel('Security key').fill(blog.paramkey!);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('table', { name: 'HTTP parameters' })).toContainText(SECRETS.author, { timeout: 30_000 });
  await expect(steps.locator('pre.sql').filter({ hasText: 'INSERT INTO articles' })).toContainText(
    `'${SECRETS.tag}', '${SECRETS.author}'`,
  );
  await shot('profile-django-revealed');

  // A failing request: the error and its class are in the profile, the parameter is not.
  const failing = transactionListSchema.parse(
    await (
      await page.request.get(`/api/v1/projects/${pcode}/transactions`, {
        params: { from: to - 10 * 60_000, to, url: '/checkout', limit: 1 },
      })
    ).json(),
  ).transactions[0]!;
  await page.goto(`/projects/${pcode}/transactions/${failing.txid}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('GET /checkout');
  await expect(page.locator('main')).toContainText('RuntimeError');
  await expect(page.locator('main')).toContainText('the payment gateway declined the order');
  await expect(page.locator('main')).not.toContainText(SECRETS.card);
  await shot('profile-error');
});

test('whatap-stop-agent makes the agents inactive; restarted apps come back as the same agents', async () => {
  test.setTimeout(120_000);
  clearInterval(background);
  await page.goto(`/projects/${pcode}/agents`);
  const table = page.getByRole('table', { name: 'Agents of this project' });
  await expect(table.locator('tbody tr')).toHaveCount(2);
  for (const app of apps) {
    const stopped = await run(path.join(venv, 'bin', 'whatap-stop-agent'), [], {
      env: agentEnv(venv, app.home),
      timeoutMs: 30_000,
    });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/whatap_python \(pid \d+\) stopped/);
    expect(agentPid(app.home)).toBeNull();
  }
  for (const app of apps)
    await expect(table.locator('tr', { hasText: app.objectName! })).toContainText('Inactive', { timeout: 45_000 });
  await expect(page.getByRole('group', { name: 'Agent counts' })).toContainText('2Inactive');
  expect((await listAgents()).map((a) => a.status)).toEqual(['inactive', 'inactive']);
  await shot('agents-inactive');

  // Restart the apps the same way: whatap-start-agent starts the agent process again.
  await Promise.all(apps.map((app) => procs.stop(app.child!)));
  await Promise.all(apps.map((app) => startApp(app)));
  for (const app of apps) expect((await traffic(app)).filter((s) => s === 200)).toHaveLength(4);
  for (const app of apps)
    await expect(table.locator('tr', { hasText: app.objectName! })).toContainText('Active', { timeout: 30_000 });
  await expect(table.locator('tbody tr')).toHaveCount(2);
  const after = await listAgents();
  expect(after.map((a) => [a.id, a.objectName, a.status])).toEqual(
    agentsBefore.map((a) => [a.id, a.objectName, 'active']),
  );
  for (const app of apps) {
    const agent = after.find((a) => a.objectName === app.objectName)!;
    expect(agent.pid).toBe(agentPid(app.home));
    expect(agent.pid).not.toBe(agentsBefore.find((a) => a.id === agent.id)!.pid);
  }
  await shot('agents-back');
});

test('the collector’s files and output never hold a parameter or the license key in clear', async () => {
  // Let the restarted agents' transactions land, then read every file of the data directory.
  await expect
    .poll(
      async () => {
        const to = Date.now();
        const res = await page.request.get(`/api/v1/projects/${pcode}/transactions`, {
          params: { from: to - 10 * 60_000, to, url: '/comment', limit: 10 },
        });
        return transactionListSchema.parse(await res.json()).total;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(3);
  const needles = [
    ...Object.values(SECRETS),
    license,
    license.slice(license.lastIndexOf('_') + 1),
    ...apps.map((a) => a.paramkey!),
  ];
  // Every file, the SQLite write-ahead logs included, read whole as bytes.
  const files = filesUnder(collector!.dataDir).map((f) => path.basename(f));
  expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
  const hits = findBytes(collector!.dataDir, needles);
  expect(hits).toEqual([]);
  const output = collector!.output();
  expect(needles.filter((n) => output.includes(n))).toEqual([]);
  // The envelopes are there, so the check above is not vacuous.
  const stored = findBytes(collector!.dataDir, ['v1.', '/search', '/articles']).map((h) => h.needle);
  expect(new Set(stored)).toEqual(new Set(['v1.', '/search', '/articles']));
});

test('a user who is not a member cannot see the project', async ({ browser }) => {
  test.setTimeout(60_000);
  const created = await page.request.post('/api/v1/users', {
    data: STRANGER,
    headers: HEADERS,
  });
  expect(created.status(), await created.text()).toBe(201);
  const txid = transactionListSchema.parse(
    await (
      await page.request.get(`/api/v1/projects/${pcode}/transactions`, {
        params: { from: 0, to: Date.now(), limit: 1 },
      })
    ).json(),
  ).transactions[0]!.txid;

  const stranger = await signedInContext(browser, STRANGER);
  try {
    await expect(stranger.page.getByText('Web shop')).toHaveCount(0);
    for (const route of [
      `/api/v1/projects/${pcode}`,
      `/api/v1/projects/${pcode}/agents`,
      `/api/v1/projects/${pcode}/transactions/${txid}`,
    ]) {
      const res = await stranger.page.request.get(route);
      expect([403, 404], route).toContain(res.status());
    }
    await stranger.page.goto(`/projects/${pcode}/transactions/${txid}`);
    await expect(stranger.page.getByRole('heading', { name: 'Project not found' })).toBeVisible();
    await expect(stranger.page.getByText('Web shop')).toHaveCount(0);
    await saveScreenshot(stranger.page, 'full-stack-stranger-not-found');
  } finally {
    await stranger.ctx.close();
  }
});
