import { expect, test, type Page } from '@playwright/test';
import { signInToDemo } from '../fixtures/console-flow';
import { saveScreenshot } from '../fixtures/screenshots';

// The hitmap, the selection list and the profile on the MSW mock API (seeded demo shop,
// parameters sealed under the demo key DEMO2SECURITYKEY7ABC).

const DEMO_KEY = 'DEMO2SECURITYKEY7ABC';
const XSS_URL = '/search/<img src=x onerror=alert(1)>';


const countText = (page: Page) => page.getByTestId('hitmap-count');

/** Drags on the plot from/to fractions of its box (x from the left, y from the top). */
async function drag(page: Page, x0: number, y0: number, x1: number, y1: number) {
  const box = (await page.getByTestId('hitmap-plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * x0, box.y + box.height * y0);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * x1, box.y + box.height * y1, { steps: 6 });
  await page.mouse.up();
}

test('hitmap: live updates, drag-select lists what the API lists, profile and the security key', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signInToDemo(page, '/projects/demoshop/hitmap');
  await expect(countText(page)).toHaveText(/^[\d,]+ transactions? · [\d,]+ errors?$/, { timeout: 20_000 });
  const first = await countText(page).textContent();
  // Live: new transactions arrive with the next poll (every ~2.5 s).
  await expect(countText(page)).not.toHaveText(first!, { timeout: 15_000 });
  await saveScreenshot(page, 'mock-hitmap-live');

  // Drag over the busy band at the bottom, in the middle of the window.
  await drag(page, 0.45, 0.55, 0.55, 1.02);
  await expect(page).toHaveURL(/mode=range.*sf=\d+.*st=\d+/);
  const total = page.getByTestId('selection-total');
  await expect(total).toHaveText(/transactions?/, { timeout: 15_000 });

  const search = new URL(page.url()).searchParams;
  const api = await page.evaluate(async (q) => {
    const res = await fetch(`/api/v1/projects/demoshop/transactions?${q}`);
    return (await res.json()) as { total: number; transactions: Array<{ txid: string }> };
  }, new URLSearchParams({ from: search.get('sf')!, to: search.get('st')!, ...(search.get('smax') ? { maxElapsed: search.get('smax')! } : {}), ...(search.get('smin') ? { minElapsed: search.get('smin')! } : {}), limit: '1000' }).toString());
  expect(api.total).toBeGreaterThan(0);
  await expect(total).toContainText(`${api.total.toLocaleString('en-US')} transaction`);
  const rows = page.getByRole('table').locator('tbody tr.tx-row');
  await expect(rows.first().getByRole('link')).toHaveAttribute('href', `/projects/demoshop/transactions/${api.transactions[0]!.txid}`);
  await saveScreenshot(page, 'mock-hitmap-selected');

  // Reloading the link reopens the same selection.
  await page.reload();
  await expect(page.getByTestId('selection-total')).toContainText(`${api.total.toLocaleString('en-US')} transaction`);
  await expect(page.getByTestId('hitmap-selection')).toBeVisible();

  // Sort by elapsed, then open the slowest.
  await page.getByRole('button', { name: 'Elapsed' }).click();
  await expect(page.getByRole('columnheader', { name: /Elapsed/ })).toHaveAttribute('aria-sort', 'descending');
  await rows.first().getByRole('link').click();
  await expect(page.getByText(/parameters encrypted — enter the security key/)).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Table' })).toBeVisible();
  await saveScreenshot(page, 'mock-profile-locked');

  await page.getByLabel('Security key').fill('WRONG2SECURITYKEY7AB');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('alert')).toHaveText('wrong security key', { timeout: 15_000 });
  await saveScreenshot(page, 'mock-profile-wrong-key');

  await page.getByLabel('Security key').fill(DEMO_KEY);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByText('Parameters decrypted in this browser')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(/bind values encrypted/)).toHaveCount(0);
  await saveScreenshot(page, 'mock-profile-revealed');
  await page.getByRole('tab', { name: 'Tree' }).click();
  await expect(page.getByRole('list', { name: 'Steps as a tree' })).toBeVisible();
  await saveScreenshot(page, 'mock-profile-tree');
  expect(dialogs).toEqual([]);
});

test('hitmap: hostile URLs, SQL and errors stay text', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const to = Date.now() - 5_000;
  const from = to - 5 * 60_000;
  const q = new URLSearchParams({ mode: 'range', from: String(from), to: String(to), url: XSS_URL, sf: String(from), st: String(to) });
  await signInToDemo(page, `/projects/demoshop/hitmap?${q}`);
  const rows = page.getByRole('table').locator('tbody tr.tx-row');
  await expect(rows.first()).toContainText(XSS_URL, { timeout: 20_000 });
  await expect(page.locator('main img')).toHaveCount(0);
  await saveScreenshot(page, 'mock-hitmap-xss');

  await rows.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(XSS_URL);
  await expect(page.locator('pre.sql').first()).toContainText("'<script>alert(1)</script>'");
  await expect(page.getByText('<b>unclosed</b> tag <script>alert(1)</script>').first()).toBeVisible();
  await expect(page.locator('main img, main script, main b')).toHaveCount(0);
  await saveScreenshot(page, 'mock-profile-xss');
  expect(dialogs).toEqual([]);
});

test('hitmap: a log Y axis kept in the URL, and a drag on a 1-minute live window that holds still', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/hitmap?win=1m');
  await expect(countText(page)).toHaveText(/^[\d,]+ transactions? · [\d,]+ errors?$/, { timeout: 20_000 });
  await page.getByRole('checkbox', { name: 'Log scale' }).click();
  await expect(page).toHaveURL(/ys=log/);
  await page.waitForTimeout(500);
  await saveScreenshot(page, 'mock-hitmap-log');

  // Mouse down pauses the live view: the window stays where it was while the mouse moves slowly.
  const box = (await page.getByTestId('hitmap-plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + 2);
  const downAt = Date.now();
  await page.mouse.down();
  await expect(page.locator('.hitmap-live')).toHaveText('Live · paused while you drag');
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.6, { steps: 10 });
  await page.waitForTimeout(3_000);
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.98, { steps: 4 });
  await page.mouse.up();
  await expect(page).toHaveURL(/mode=range/);
  const params = new URL(page.url()).searchParams;
  expect(Number(params.get('to'))).toBeLessThanOrEqual(downAt + 1_500);
  expect(params.get('ys')).toBe('log');
  await expect(page.getByTestId('selection-total')).toHaveText(/transactions?/, { timeout: 15_000 });
  await expect(page.getByTestId('hitmap-selection')).toBeVisible();

  // The link reopens the log axis.
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Log scale' })).toBeChecked();
  await saveScreenshot(page, 'mock-hitmap-log-selected');
});
