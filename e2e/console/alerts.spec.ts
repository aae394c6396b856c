import { expect, test } from '@playwright/test';
import { signInToDemo } from '../fixtures/console-flow';
import { saveScreenshot } from '../fixtures/screenshots';

// The Alerts pages on the MSW mock API: the seeded demo shop has four rules, one open critical
// incident (the inactive agent), two resolved ones, three channels with deliveries and silences.


test('incidents: the open one on the project list, the nav and the page; its detail page on a direct load', async ({ page }) => {
  await signInToDemo(page, '/projects');
  const demo = page.getByRole('row').filter({ hasText: 'Demo shop' });
  await demo.getByRole('link', { name: '1 open incident · critical' }).click();
  await expect(page).toHaveURL(/\/projects\/demoshop\/alerts$/);
  await expect(page.getByRole('heading', { name: 'Alerts', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: /Alerts/ })).toContainText('1');
  const incidents = page.getByRole('table', { name: 'Incidents' });
  await expect(incidents.getByRole('row')).toHaveCount(2);
  await expect(incidents).toContainText('Agent stopped sending');
  await saveScreenshot(page, 'mock-alerts-incidents');

  await page.getByRole('combobox', { name: 'State' }).selectOption('all');
  await expect(incidents.getByRole('row')).toHaveCount(4);
  await expect(page).toHaveURL(/\?state=all$/);

  await incidents.getByRole('link', { name: 'Agent stopped sending' }).click();
  await expect(page.getByRole('heading', { name: /Agent stopped sending/ })).toBeVisible();
  const url = page.url();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: /Agent stopped sending/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Notifications' })).toContainText('SMTP auth failed (535)');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByText(/^by admin, /)).toBeVisible();
  await saveScreenshot(page, 'mock-alerts-incident');

  await page.getByRole('link', { name: 'Hitmap at this time' }).click();
  await expect(page).toHaveURL(/\/projects\/demoshop\/hitmap\?mode=range&from=\d+&to=\d+&agent=4$/);
});

test('rules: validation errors from the API, the preview with its threshold, create', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/alerts?tab=rules');
  const rules = page.getByRole('table', { name: 'Alert rules' });
  await expect(rules.getByRole('row')).toHaveCount(5);
  await saveScreenshot(page, 'mock-alerts-rules');

  await page.getByRole('button', { name: 'New rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New alert rule' });
  await dialog.getByLabel('Name').fill('Slow pages');
  await dialog.getByRole('textbox', { name: 'Threshold' }).fill('fast');
  await dialog.getByRole('button', { name: 'Create rule' }).click();
  await expect(dialog.getByText('threshold must be a number.')).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Threshold' })).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText(/Complete the rule/)).toBeVisible();

  await dialog.getByRole('textbox', { name: 'Threshold' }).fill('500');
  await dialog.getByLabel('For', { exact: true }).selectOption('60');
  await expect(dialog.getByRole('status').filter({ hasText: /^Would have fired \d+ times? in the last hour\.$/ })).toBeVisible();
  await expect(dialog.locator('.chart canvas')).toHaveCount(1);
  await page.waitForTimeout(500);
  await saveScreenshot(page, 'mock-alerts-rule-form');
  await dialog.getByRole('button', { name: 'Last day' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: /in the last day\.$/ })).toBeVisible();

  await dialog.getByRole('checkbox', { name: /Ops webhook/ }).check();
  await dialog.getByRole('button', { name: 'Create rule' }).click();
  await expect(dialog).toBeHidden();
  await expect(rules.getByRole('row').filter({ hasText: 'Slow pages' })).toContainText('average response time > 500 ms over 5 min, for 1 min');

  // Kept across a reload, like the rest of the mock's data.
  await page.reload();
  await expect(rules.getByRole('row').filter({ hasText: 'Slow pages' })).toBeVisible();
});

test('channels: a webhook with a write-only secret, a test notification, the delivery log', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/alerts?tab=channels');
  await page.getByRole('button', { name: 'New channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'New channel' });
  await dialog.getByLabel('Name').fill('Incident bot');
  await dialog.getByLabel('URL').fill('https://bot.example.com/tapscope');
  await dialog.getByLabel('Signing secret').fill('too-short');
  await dialog.getByRole('button', { name: 'Add channel' }).click();
  await expect(dialog.getByText('Secret must be at least 16 characters')).toBeVisible();
  await dialog.getByLabel('Signing secret').fill('a-signing-secret-of-32-characters');
  await dialog.getByRole('button', { name: 'Add channel' }).click();
  await expect(dialog).toBeHidden();

  const card = page.getByRole('article', { name: 'Channel Incident bot' });
  await expect(card).toContainText('Signing secret set (••••••ters)');
  await expect(page.locator('body')).not.toContainText('a-signing-secret-of-32');
  await card.getByRole('button', { name: 'Send a test notification' }).click();
  await expect(card.getByRole('status')).toContainText(/Test notification sent \(answer 200\) in \d+ ms\./);
  await card.getByRole('button', { name: /Delivery log/ }).click();
  await expect(card.getByRole('table', { name: 'Delivery log of Incident bot' }).getByRole('row')).toHaveCount(2);

  const email = page.getByRole('article', { name: 'Channel On-call email' });
  await email.getByRole('button', { name: 'Send a test notification' }).click();
  await expect(email.getByRole('status')).toContainText('Test notification failed: SMTP auth failed (535)');
  await saveScreenshot(page, 'mock-alerts-channels');

  await page.goto('/projects/demoshop/alerts?tab=silences');
  await expect(page.getByRole('table', { name: 'Silences' })).toContainText('Database migration window');
  await saveScreenshot(page, 'mock-alerts-silences');
});

test('an empty project says what to do next on every tab', async ({ page }) => {
  await signInToDemo(page, '/projects/billapi2/alerts?tab=rules');
  await expect(page.getByRole('heading', { name: 'No alert rules yet' })).toBeVisible();
  await saveScreenshot(page, 'mock-alerts-empty-rules');
  await page.getByRole('tab', { name: 'Channels' }).click();
  await expect(page.getByRole('heading', { name: 'No channels yet' })).toBeVisible();
  await page.getByRole('tab', { name: 'Incidents' }).click();
  await expect(page.getByText('Nothing can fire yet: create a rule in the Rules tab.')).toBeVisible();
});
