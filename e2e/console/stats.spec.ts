import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { saveScreenshot } from '../fixtures/screenshots';

// Statistics on the MSW mock API, rolled up from the seeded transactions.

async function signInToDemo(page: Page, path: string) {
  await page.goto('/?mock=default');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('tapscope-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await page.goto(path);
}

const firstCells = (page: Page) =>
  page.getByRole('table').locator('tbody tr td:first-child').allTextContents();

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
  await expect(table.locator('tbody tr')).not.toHaveCount(0);
  for (const key of await firstCells(page)) expect(key.toLowerCase()).toContain('insert');
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
  // A message with quotes is quoted with the quotes doubled.
  expect(csv).toContain('"duplicate key value violates unique constraint ""cart_items_pkey"""');

  // The example link opens the transaction profile.
  const link = table.getByRole('link', { name: /Example transaction of/ }).first();
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/projects\/demoshop\/transactions\/t\w+$/);
});
