import { expect, test, type Page } from '@playwright/test';
import { saveScreenshot } from '../fixtures/screenshots';

// The agent list on the MSW mock API: the seeded demo shop has 3 active agents and 1 inactive.

async function signInToDemo(page: Page, path: string) {
  await page.goto('/?mock=default');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('tapscope-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await page.goto(path);
}

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
  await saveScreenshot(page, 'mock-agents');

  await page.getByRole('searchbox', { name: 'Filter agents' }).fill('gunicorn');
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(page).toHaveURL(/\?q=gunicorn$/);

  await page.goto('/projects/billapi2/agents');
  await expect(page.getByRole('heading', { name: 'No agents yet' })).toBeVisible();
  await page.getByRole('link', { name: 'Open the install guide' }).click();
  await expect(page).toHaveURL(/\/projects\/billapi2\/install$/);
});
