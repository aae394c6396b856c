import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { signInToDemo } from '../fixtures/console-flow';
import { saveScreenshot } from '../fixtures/screenshots';

// The agent list, the dashboard and the statistics on the MSW mock API. The seeded demo shop
// has 3 active agents and 1 inactive; its counters and statistics are computed from the
// seeded transactions.


const firstCells = (page: Page) =>
  page.getByRole('table').locator('tbody tr td:first-child').allTextContents();

test('agents: counts, status, filter and the empty state', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/agents');
  const table = page.getByRole('table', { name: 'Agents of this project' });
  await expect(table.getByRole('row')).toHaveCount(5);
  const counts = page.getByRole('group', { name: 'Agent counts' });
  await expect(counts).toContainText('4Total');
  await expect(counts).toContainText('3Active');
  await expect(counts).toContainText('1Inactive');
  await expect(table.getByRole('row').filter({ hasText: 'shop-0-14-uwsgi' })).toContainText('Inactive');
  await expect(table.getByRole('row').filter({ hasText: 'shop-0-11-gunicorn' })).toContainText('Active');
  // The agent pid over its app processes' pids, and every column in view without scrolling.
  await expect(table.getByRole('row').filter({ hasText: 'shop-0-13-uwsgi' })).toContainText('agent 5120app 5131, 5132');
  const overflow = await page.locator('.table-wrap').first().evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await saveScreenshot(page, 'mock-agents');

  await page.getByRole('searchbox', { name: 'Filter agents' }).fill('gunicorn');
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(page).toHaveURL(/\?q=gunicorn$/);

  await page.goto('/projects/billapi2/agents');
  await expect(page.getByRole('heading', { name: 'No agents yet' })).toBeVisible();
  await page.getByRole('link', { name: 'Open the install guide' }).click();
  await expect(page).toHaveURL(/\/projects\/billapi2\/install$/);
});

test('dashboard: live figures, charts, range and agent choice in the URL', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/dashboard');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const tps = page.getByRole('group', { name: 'TPS' });
  await expect(tps).not.toContainText('…');
  await expect(page.getByRole('group', { name: 'Agents', exact: true })).toContainText('3 / 4');
  // Six charts, drawn by the lazily loaded ECharts on canvas.
  await expect(page.locator('.chart canvas')).toHaveCount(6);
  await expect(page.getByRole('img', { name: 'Live hitmap' })).toBeVisible();
  // The equalizer's columns stand on one baseline as wide as a cell: an idle agent's 0 has no
  // stray sliver of border above it.
  const baselines = await page.locator('.eq__stack').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
  expect(baselines.length).toBeGreaterThan(0);
  for (const w of baselines) expect(w).toBeGreaterThanOrEqual(34);
  await page.waitForTimeout(1_000);
  await saveScreenshot(page, 'mock-dashboard');

  await page.getByRole('button', { name: '6h' }).click();
  await expect(page).toHaveURL(/range=6h/);
  await expect(page.getByRole('group', { name: 'Errors' })).toContainText('last 6 h');
  // Over 6 h all four agents have CPU and memory: every legend entry is on the page, none behind
  // a "1/2" pager.
  for (const title of ['CPU per agent', 'Memory per agent']) {
    const legend = page.getByRole('list', { name: `${title}: series` });
    await expect(legend.getByRole('button')).toHaveCount(4);
    await legend.scrollIntoViewIfNeeded();
    for (const item of await legend.getByRole('button').all()) await expect(item).toBeInViewport();
  }
  await saveScreenshot(page, 'mock-dashboard-6h');
  await page.getByText('All agents (4)').click();
  await page.getByRole('checkbox', { name: /shop-0-13-uwsgi/ }).click();
  await expect(page).toHaveURL(/agents=3/);
  await expect(page.getByRole('group', { name: 'Agents', exact: true })).toContainText('1 / 1');
  await page.getByText('1 of 4 agents').click();
  await page.waitForTimeout(800);
  await saveScreenshot(page, 'mock-dashboard-6h-one-agent');
});

test('statistics: sort, search, tabs and CSV export', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/stats');
  const table = page.getByRole('table');
  await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
  await saveScreenshot(page, 'mock-stats-transactions');

  await table.getByRole('button', { name: 'Count' }).click();
  await expect(table.getByRole('columnheader', { name: /Count/ })).toHaveAttribute('aria-sort', 'descending');
  const counts = (await table.locator('tbody tr td:nth-child(2)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
  expect(counts).toEqual([...counts].sort((a, b) => b - a));

  await page.getByRole('tab', { name: 'SQL' }).click();
  await expect(page).toHaveURL(/kind=sql/);
  await page.getByRole('searchbox', { name: 'Search SQL' }).fill('insert');
  // The filter applies on the next render: wait until every row shown matches (and some do).
  await expect
    .poll(async () => {
      const keys = await firstCells(page);
      return keys.length > 0 && keys.every((key) => key.toLowerCase().includes('insert'));
    })
    .toBe(true);
  await saveScreenshot(page, 'mock-stats-sql');

  await page.getByRole('tab', { name: 'Errors' }).click();
  await expect(table.getByRole('button', { name: 'Message' })).toBeVisible();
  await saveScreenshot(page, 'mock-stats-errors');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tapscope-demoshop-errors-.*\.csv$/);
  const csv = (await readFile((await file.path())!, 'utf8')).replace(/^\uFEFF/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe('Class,Message,URL,Count,Last seen,Example transaction');
  expect(lines.length - 1).toBe(await table.locator('tbody tr').count());
  // A message with quotes and a line break is quoted, with the quotes doubled and the break kept.
  expect(csv).toContain('"duplicate key value violates unique constraint ""cart_items_pkey""\nDETAIL:  Key (cart_id, product_id)=(#, #) already exists."');

  // The example link opens the transaction profile.
  const link = table.getByRole('link', { name: /Example transaction of/ }).first();
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/projects\/demoshop\/transactions\/t\w+$/);
});
