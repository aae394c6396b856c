import { expect, test, type Page } from '@playwright/test';
import { saveScreenshot } from '../fixtures/screenshots';

// The dashboard on the MSW mock API, whose counters are computed from the seeded transactions.

async function signInToDemo(page: Page, path: string) {
  await page.goto('/?mock=default');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('tapscope-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await page.goto(path);
}

test('dashboard: live figures, charts, range and agent choice in the URL', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/dashboard');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const tps = page.getByRole('group', { name: 'TPS' });
  await expect(tps).not.toContainText('…');
  await expect(page.getByRole('group', { name: 'Agents', exact: true })).toContainText('3 / 4');
  // Six charts, drawn by the lazily loaded ECharts on canvas.
  await expect(page.locator('.chart canvas')).toHaveCount(6);
  await expect(page.getByRole('img', { name: 'Live hitmap' })).toBeVisible();
  await page.waitForTimeout(1_000);
  await saveScreenshot(page, 'mock-dashboard');

  await page.getByRole('button', { name: '6h' }).click();
  await expect(page).toHaveURL(/range=6h/);
  await expect(page.getByRole('group', { name: 'Errors' })).toContainText('last 6 h');
  await page.getByText('All agents (4)').click();
  await page.getByRole('checkbox', { name: /shop-0-13-uwsgi/ }).click();
  await expect(page).toHaveURL(/agents=3/);
  await expect(page.getByRole('group', { name: 'Agents', exact: true })).toContainText('1 / 1');
  await page.getByText('1 of 4 agents').click();
  await page.waitForTimeout(800);
  await saveScreenshot(page, 'mock-dashboard-6h-one-agent');
});
