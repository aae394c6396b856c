import { expect, test } from '@playwright/test';
import { signInToDemo } from '../fixtures/console-flow';
import { saveScreenshot } from '../fixtures/screenshots';

// The trace view on the MSW mock API: the seeded trace /checkout (demo shop) → /reserve (demo
// shop) and /charge (Billing API) → /orders/{id}/paid (demo shop), mock-server/data/traces-seed.ts.

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_URL = `/projects/demoshop/traces/${TRACE_ID}`;

test('trace: from a profile to the whole trace, and along a row into the callee’s profile', async ({ page }) => {
  await signInToDemo(page, '/projects/demoshop/transactions/trace0checkout');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('POST /checkout', { timeout: 20_000 });
  await page.getByRole('link', { name: 'View the whole trace' }).click();
  await expect(page).toHaveURL(TRACE_URL);

  const waterfall = page.getByRole('table', { name: 'Trace waterfall' });
  const rows = waterfall.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText('Demo shop');
  await expect(rows.nth(2)).toContainText('Billing API');
  await expect(rows.nth(2)).toContainText('called by https://billing.internal/charge at +119 ms');
  await expect(rows.nth(3)).toContainText('IntegrityError');

  await page.getByRole('button', { name: 'Show the HTTP calls of POST /checkout' }).click();
  await expect(rows).toHaveCount(6);
  await expect(rows.nth(2)).toContainText('https://billing.internal/charge');
  await saveScreenshot(page, 'mock-trace-waterfall');

  // The call row jumps to the row of the transaction it started; that row opens its profile.
  await rows.nth(2).getByRole('link', { name: 'POST /charge' }).click();
  await expect(page.locator('#trace-node-2')).toBeFocused();
  await page.locator('#trace-node-2').getByRole('link', { name: 'POST /charge' }).click();
  await expect(page).toHaveURL('/projects/billapi2/transactions/trace0charge00');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('POST /charge');
  await expect(page.getByText('billing-0-21-uvicorn', { exact: true }).first()).toBeVisible();
  await saveScreenshot(page, 'mock-trace-callee-profile');

  // The callee's own HTTP call leads to its place in the trace, and on to the demo shop's /paid.
  await page.getByRole('link', { name: 'Callee in the trace' }).click();
  await expect(page).toHaveURL(/\/projects\/billapi2\/traces\/4bf92f3577b34da6a3ce929d0e0e4736#call-5f2c3a1b9d8e7f60$/);
  const call = page.locator('#call-5f2c3a1b9d8e7f60');
  await expect(call).toBeFocused();
  await call.getByRole('link', { name: 'POST /orders/{id}/paid' }).click();
  await page.locator('#trace-node-3').getByRole('link', { name: 'POST /orders/{id}/paid' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('POST /orders/{id}/paid');
});

test('trace: a direct load of the trace URL, and an unknown trace', async ({ page }) => {
  await signInToDemo(page, TRACE_URL);
  await expect(page.getByRole('table', { name: 'Trace waterfall' }).locator('tbody tr')).toHaveCount(4, { timeout: 20_000 });
  await expect(page.getByText(TRACE_ID)).toBeVisible();
  await saveScreenshot(page, 'mock-trace-direct-load');

  await page.goto('/projects/demoshop/traces/0af7651916cd43dd8448eb211c80319c');
  await expect(page.getByText('This trace was not found, or you cannot see any of its services.')).toBeVisible({ timeout: 20_000 });
  await saveScreenshot(page, 'mock-trace-not-found');
});

test('trace: a service in a project the user is not a member of is a grey row with none of its data', async ({ page }) => {
  await page.goto('/?mock=default');
  await page.getByLabel('Username').fill('dana');
  await page.getByLabel('Password').fill('tapscope-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await page.goto(TRACE_URL);
  const rows = page.getByRole('table', { name: 'Trace waterfall' }).locator('tbody tr');
  await expect(rows).toHaveCount(4, { timeout: 20_000 });
  await expect(rows.nth(2)).toHaveText('a service in a project you cannot see');
  await expect(rows.nth(3)).toContainText('called by a service in a project you cannot see');
  await expect(page.getByText(/Billing|billing/)).toHaveCount(0);
  await saveScreenshot(page, 'mock-trace-hidden-service');
});
