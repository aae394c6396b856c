import type { APIRequestContext, Page } from '@playwright/test';
import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { ProtocolAgent } from '../../collector/demo/agent-client';
import { TrafficGenerator, type AgentTransaction } from '../../collector/demo/generator';
import { deriveParamCipher, encryptParams, type ParamCipher } from '../../collector/demo/paramkey';
import { transactionListSchema, transactionProfileSchema } from '../../src/api/transactions';
import { expect, test } from '../fixtures/collector';
import { saveScreenshot } from '../fixtures/screenshots';

// The hitmap, the selection list and the profile on a real collector, fed through the ingest
// protocol by demo agents whose parameters are encrypted with a security key, as the Python
// agent does. The tests share the collector and the traffic, and build on each other.
test.describe.configure({ mode: 'serial' });

const ADMIN = { username: 'ops-admin', password: 'a-long-enough-password' };
const HEADERS = { 'x-tapscope-client': 'console' };
const SECURITY_KEY = 'E2E2HITMAPKEY7ABCDEF';
const XSS_URL = '/search/<img src=x onerror=alert(1)>';
const XSS_SQL = "SELECT id FROM product WHERE name = '<script>alert(1)</script>' AND id = ?";
const XSS_MESSAGE = '<img src=x onerror=alert(2)> in <script>alert(3)</script>';

let pcode = '';
let cipher: ParamCipher;
let xssTxid = '';
const agents: ProtocolAgent[] = [];
const timers: NodeJS.Timeout[] = [];

test.afterAll(() => {
  for (const t of timers) clearInterval(t);
  for (const a of agents) a.close();
});

/** Signs the request context in; sets the admin up first on a new installation. */
async function signIn(api: APIRequestContext, setupToken: string) {
  const status = (await (await api.get('/api/v1/setup')).json()) as { needsSetup: boolean };
  if (status.needsSetup) {
    expect((await api.post('/api/v1/setup', { data: { ...ADMIN, token: setupToken }, headers: HEADERS })).status()).toBe(201);
  } else {
    expect((await api.post('/api/v1/session', { data: ADMIN, headers: HEADERS })).ok()).toBe(true);
  }
}

/** Decrypts an envelope with node:crypto (independently of the console's WebCrypto code). */
function open(envelope: string, key: string): unknown {
  const [, salt, nonce, sealed] = envelope.split('.') as [string, string, string, string];
  const aes = pbkdf2Sync(key, Buffer.from(salt, 'base64url'), 600_000, 32, 'sha256');
  const body = Buffer.from(sealed, 'base64url');
  const d = createDecipheriv('aes-256-gcm', aes, Buffer.from(nonce, 'base64url'));
  d.setAuthTag(body.subarray(body.length - 16));
  return JSON.parse(Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]).toString('utf8'));
}

function hostileTransaction(end: number): AgentTransaction {
  return {
    txid: `xss${end.toString(36)}`,
    start: end - 42,
    end,
    elapsed: 42,
    url: XSS_URL,
    method: 'GET',
    status: 500,
    error: { class: 'TemplateSyntaxError', message: XSS_MESSAGE, stack: `Traceback (most recent call last):\n  File "x.py"\n${XSS_MESSAGE}` },
    clientIp: '10.9.9.9',
    userAgent: '<script>alert(4)</script>',
    cpu: 3,
    sqlCount: 1,
    sqlTime: 12,
    httpcCount: 0,
    httpcTime: 0,
    params: encryptParams(cipher, { q: ['<img src=x onerror=alert(5)>'] }),
    steps: [
      { kind: 'sql', start: 5, elapsed: 12, text: XSS_SQL, params: encryptParams(cipher, [7]), fetch: 1 },
      { kind: 'message', start: 20, elapsed: 0, text: '<b>bold?</b>' },
      { kind: 'error', start: 40, elapsed: 0, text: 'TemplateSyntaxError', error: XSS_MESSAGE },
    ],
  };
}

function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(d.message());
    void d.dismiss();
  });
  return seen;
}

async function dragOnPlot(page: Page, x0: number, y0: number, x1: number, y1: number) {
  const box = (await page.getByTestId('hitmap-plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * x0, box.y + box.height * y0);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * x1, box.y + box.height * y1, { steps: 8 });
  await page.mouse.up();
}

test('the live hitmap fills as agents send transactions', async ({ page, collector }) => {
  const api = page.request;
  await signIn(api, collector.setupToken);
  const regions = (await (await api.get('/api/v1/regions')).json()) as { regions: Array<{ id: string }> };
  const created = await api.post('/api/v1/projects', {
    data: { name: 'Hitmap shop', region: regions.regions[0]!.id, timezone: 'Asia/Seoul' },
    headers: HEADERS,
  });
  expect(created.status()).toBe(201);
  pcode = ((await created.json()) as { project: { pcode: string } }).project.pcode;
  const issued = await api.post(`/api/v1/projects/${pcode}/licenses`, { data: { label: 'hitmap e2e' }, headers: HEADERS });
  const { key } = (await issued.json()) as { key: string };
  cipher = await deriveParamCipher(SECURITY_KEY);

  await page.goto(`/projects/${pcode}/hitmap?win=1m`);
  await expect(page.getByTestId('hitmap-count')).toHaveText('0 transactions · 0 errors', { timeout: 15_000 });
  await expect(page.getByText('No transactions in this window yet')).toBeVisible();

  for (const [i, objectName] of ['shop-20-1-gunicorn', 'shop-20-2-uwsgi'].entries()) {
    const agent = new ProtocolAgent({
      host: '127.0.0.1',
      port: collector.ingestPort,
      license: key,
      hello: { objectName, appName: 'shop', processName: objectName.split('-').at(-1)!, hostname: `web-${i + 1}`, ip: `10.0.2.${i + 1}`, pid: 5200 + i },
    });
    await agent.connect();
    agents.push(agent);
    const gen = new TrafficGenerator({ seed: 41 + i, txidPrefix: `h${i}`, cipher });
    // About 20 transactions a second per agent, ending over the last half second.
    timers.push(
      setInterval(() => {
        const now = Date.now();
        agent.sendTransactions(Array.from({ length: 10 }, (_, k) => gen.transaction(now - k * 50))).catch(() => {});
      }, 500),
    );
  }
  const hostile = hostileTransaction(Date.now() - 1000);
  xssTxid = hostile.txid;
  await agents[0]!.sendTransactions([hostile]);

  // No reload: the live view polls with its cursor and the count grows.
  const count = page.getByTestId('hitmap-count');
  await expect(count).not.toHaveText(/^0 transactions/, { timeout: 15_000 });
  const seen = Number((await count.textContent())!.replace(/,/g, '').split(' ')[0]);
  await expect.poll(async () => Number((await count.textContent())!.replace(/,/g, '').split(' ')[0]), { timeout: 15_000 }).toBeGreaterThan(seen + 20);
  await expect(page.getByRole('img', { name: /Transaction hitmap: [1-9]/ })).toBeVisible();
  await page.waitForTimeout(6_000);
  await saveScreenshot(page, 'collector-hitmap-live');
});

test('dragging a rectangle lists the transactions the API lists for it', async ({ page, collector }) => {
  const dialogs = watchDialogs(page);
  await signIn(page.request, collector.setupToken);
  await page.goto(`/projects/${pcode}/hitmap?win=1m`);
  await expect(page.getByTestId('hitmap-count')).not.toHaveText(/^0 transactions|Loading/, { timeout: 15_000 });
  await page.waitForTimeout(3_000);

  // The traffic started about 20 s ago: drag over the newest part of the 1-minute window,
  // below the middle of the Y axis.
  await dragOnPlot(page, 0.72, 0.5, 0.97, 1.05);
  await expect(page).toHaveURL(/mode=range/);
  const params = new URL(page.url()).searchParams;
  const query: Record<string, string> = { from: params.get('sf')!, to: params.get('st')!, limit: '1000', sort: 'end' };
  if (params.get('smin')) query.minElapsed = params.get('smin')!;
  if (params.get('smax')) query.maxElapsed = params.get('smax')!;
  const answer = transactionListSchema.parse(
    await (await page.request.get(`/api/v1/projects/${pcode}/transactions`, { params: query })).json(),
  );
  expect(answer.total).toBeGreaterThan(0);

  const total = page.getByTestId('selection-total');
  await expect(total).toContainText(`${answer.total.toLocaleString('en-US')} transaction`, { timeout: 15_000 });
  // The instant count from the browser's typed arrays agrees with the server: the total is said
  // once, with no second "N in the hitmap" beside it (it shows only when the two differ).
  await expect(page.getByTestId('selection-instant')).toHaveCount(0);
  await expect(page.locator('.selection-summary')).not.toContainText('in the hitmap');
  const rows = page.locator('table tbody tr.tx-row');
  const hrefs = await rows.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const expected = answer.transactions.map((t) => `/projects/${pcode}/transactions/${t.txid}`);
  if (answer.transactions.length <= 150) expect(hrefs).toEqual(expected);
  else expect(hrefs.slice(0, 10)).toEqual(expected.slice(0, 10));
  await saveScreenshot(page, 'collector-hitmap-selected');

  // Sorted by elapsed the slowest come first, as the API sorts them.
  await page.getByRole('button', { name: 'Elapsed' }).click();
  await expect(page).toHaveURL(/sort=elapsed/);
  const slowest = transactionListSchema.parse(
    await (await page.request.get(`/api/v1/projects/${pcode}/transactions`, { params: { ...query, sort: 'elapsed' } })).json(),
  ).transactions[0]!;
  await expect(rows.first().locator('a')).toHaveAttribute('href', `/projects/${pcode}/transactions/${slowest.txid}`);
  expect(dialogs).toEqual([]);
});

test('a profile opens from the list; the right key reveals parameters, a wrong one is refused', async ({ page, collector }) => {
  await signIn(page.request, collector.setupToken);
  const to = Date.now();
  const list = transactionListSchema.parse(
    await (await page.request.get(`/api/v1/projects/${pcode}/transactions`, { params: { from: to - 60_000, to, url: '/search', limit: 5 } })).json(),
  );
  const target = list.transactions[0]!;
  const q = new URLSearchParams({ mode: 'range', from: String(Math.floor(target.end) - 30_000), to: String(Math.ceil(target.end) + 30_000), url: '/search', sf: String(Math.floor(target.end)), st: String(Math.ceil(target.end)) });
  await page.goto(`/projects/${pcode}/hitmap?${q}`);
  const row = page.locator('table tbody tr.tx-row', { hasText: '/search' }).first();
  await row.locator('a').click();
  await expect(page).toHaveURL(new RegExp(`/transactions/${target.txid}$`));

  const profile = transactionProfileSchema.parse(
    await (await page.request.get(`/api/v1/projects/${pcode}/transactions/${target.txid}`)).json(),
  );
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`GET ${profile.transaction.url}`);
  await expect(page.getByText(/parameters encrypted — enter the security key/)).toBeVisible();
  await expect(page.getByRole('tabpanel').locator('tbody tr')).toHaveCount(profile.steps.length);
  await saveScreenshot(page, 'collector-profile-locked');

  await page.getByLabel('Security key').fill('WRONG2HITMAPKEY7ABCD');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('alert')).toHaveText('wrong security key', { timeout: 15_000 });
  await expect(page.getByText('HTTP parameters encrypted')).toBeVisible();
  await saveScreenshot(page, 'collector-profile-wrong-key');

  await page.getByLabel('Security key').fill(SECURITY_KEY);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByText('Parameters decrypted in this browser')).toBeVisible({ timeout: 15_000 });
  const sql = profile.steps.find((s) => s.kind === 'sql' && s.params)!;
  const binds = open(sql.params!, SECURITY_KEY) as unknown[];
  const first = binds[0];
  const literal = typeof first === 'string' ? `'${first}'` : String(first);
  await expect(page.locator('pre.sql').first()).toContainText(literal);
  if (profile.transaction.params) {
    const http = open(profile.transaction.params, SECURITY_KEY) as Record<string, string[]>;
    const [name, values] = Object.entries(http)[0]!;
    const table = page.getByRole('table', { name: 'HTTP parameters' });
    await expect(table).toContainText(name);
    await expect(table).toContainText(String(values[0]));
  }
  await saveScreenshot(page, 'collector-profile-revealed');
  await page.getByRole('tab', { name: 'Tree' }).click();
  await saveScreenshot(page, 'collector-profile-tree');
});

test('a stored transaction with markup in its URL, SQL and error shows it as text', async ({ page, collector }) => {
  const dialogs = watchDialogs(page);
  await signIn(page.request, collector.setupToken);
  const now = Date.now();
  const q = new URLSearchParams({ mode: 'range', from: String(now - 5 * 60_000), to: String(now), url: XSS_URL, sf: String(now - 5 * 60_000), st: String(now) });
  await page.goto(`/projects/${pcode}/hitmap?${q}`);
  const row = page.locator('table tbody tr.tx-row').first();
  await expect(row).toContainText(XSS_URL, { timeout: 15_000 });
  await expect(page.locator('main img, main script')).toHaveCount(0);
  await saveScreenshot(page, 'collector-hitmap-xss');

  await row.locator('a').click();
  await expect(page).toHaveURL(new RegExp(`/transactions/${xssTxid}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(XSS_URL);
  await expect(page.locator('pre.sql').first()).toContainText("'<script>alert(1)</script>'");
  await expect(page.locator('pre.tx-stack')).toContainText(XSS_MESSAGE);
  await expect(page.getByText('<b>bold?</b>')).toBeVisible();
  await page.getByLabel('Security key').fill(SECURITY_KEY);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('table', { name: 'HTTP parameters' })).toContainText('<img src=x onerror=alert(5)>', { timeout: 15_000 });
  await expect(page.locator('main img, main script, main b')).toHaveCount(0);
  await saveScreenshot(page, 'collector-profile-xss');
  expect(dialogs).toEqual([]);
});
