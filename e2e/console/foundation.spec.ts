import { expect, test } from '@playwright/test';
import { createProject, issueAndCopyKey, openSettings, revokeKey, MOCK_SETUP_TOKEN, setUpAdmin, signIn, signOut } from '../fixtures/console-flow';
import { saveScreenshot } from '../fixtures/screenshots';

// The console on the MSW mock API (`vite --mode mock`). `?mock=…` picks the mock db's seed.

test('a new installation: set up → create project → issue, copy and revoke a key', async ({ page }) => {
  await page.goto('/?mock=fresh');
  await setUpAdmin(page, 'ops-admin', 'a-long-enough-password', 'mock', MOCK_SETUP_TOKEN);
  const pcode = await createProject(page, {
    name: 'Checkout',
    regionLabel: /^Local — 127\.0\.0\.1:6600$/,
    group: 'Commerce',
    timezone: 'Europe/Berlin',
    shot: 'mock',
    fromEmpty: true,
  });
  const key = await issueAndCopyKey(page, pcode, 'mock');
  await expect(page.getByRole('figure', { name: 'whatap-setting-config command' })).toContainText('--host 127.0.0.1');
  await revokeKey(page, key, 'mock');
  await openSettings(page, 'Checkout', 'mock');
  await signOut(page, 'ops-admin');
});

test('the seeded demo: sign in with the mock credentials → projects → demo shop', async ({ page }) => {
  await page.goto('/?mock=default');
  await expect(page.getByText('Mock mode.')).toBeVisible();
  await signIn(page, 'admin', 'tapscope-demo', 'mock');
  await expect(page.getByRole('link', { name: 'Demo shop' })).toBeVisible();
  await saveScreenshot(page, 'mock-projects');

  // A reload keeps the session and the data (sessionStorage).
  await page.reload();
  await expect(page.getByRole('link', { name: 'Demo shop' })).toBeVisible();

  await page.getByRole('link', { name: 'Demo shop' }).click();
  await expect(page.getByRole('navigation', { name: 'Project' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Install & keys' }).click();
  const table = page.getByRole('table', { name: 'License keys' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table).toContainText('production web servers');

  // The project switcher keeps the page while changing the project.
  await page.getByRole('button', { name: /Switch project/ }).click();
  await page.getByRole('link', { name: 'Billing API' }).click();
  await expect(page).toHaveURL(/\/projects\/billapi2\/install$/);
  await expect(page.getByRole('heading', { name: 'No license keys yet' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'whatap-setting-config command' })).toContainText(
    '--host ingest.ap-northeast.example',
  );
});
