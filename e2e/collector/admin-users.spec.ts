import type { Browser, Page } from '@playwright/test';
import { test, expect } from '../fixtures/collector';
import { createProject, setUpAdmin } from '../fixtures/console-flow';
import { saveScreenshot } from '../fixtures/screenshots';

// The second user's path, on a real collector (fresh data directory): an administrator
// creates "lee" and "mallory", an owner adds lee to a project as a viewer; lee sees the
// project read-only, mallory does not see it at all — not in the console, not in the API.
const ADMIN = { username: 'ops-admin', password: 'a-long-enough-password' };
const LEE = { username: 'lee', password: 'lee-has-a-long-password' };
const MALLORY = { username: 'mallory', password: 'mallory-long-password' };

async function createUser(page: Page, user: { username: string; password: string }) {
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Username').fill(user.username);
  await form.getByLabel('Password', { exact: true }).fill(user.password);
  await form.getByLabel('Confirm password').fill(user.password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status').filter({ hasText: `User ${user.username} created.` })).toHaveText(
    `User ${user.username} created. Add them to a project from its Settings → Members.`,
  );
  await expect(page.getByRole('table', { name: 'Users' }).getByRole('cell', { name: user.username, exact: true })).toBeVisible();
}

/** A browser of its own (own cookies), signed in as `user`, on the projects page. */
async function signedInPage(browser: Browser, baseURL: string, user: { username: string; password: string }) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  return { context, page };
}

test('an admin creates users; an owner adds one as viewer; a stranger sees nothing', async ({ page, browser, collector }) => {
  // Three browsers and five scrypt hashes at the collector's real cost: slow on a busy 2-core machine.
  test.setTimeout(120_000);
  await page.goto('/');
  await setUpAdmin(page, ADMIN.username, ADMIN.password, 'admin-users', collector.setupToken);
  await expect(page.getByRole('heading', { name: 'Create your first project' })).toBeVisible();

  // Administration, from the top bar.
  await page.getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await expect(page).toHaveURL(/\/admin$/);
  const users = page.getByRole('table', { name: 'Users' });
  await expect(users.getByRole('row')).toHaveCount(2);
  await expect(users.getByRole('row').nth(1)).toContainText(ADMIN.username);

  // The form's own check, then the API's answer next to the field.
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Username').fill(ADMIN.username);
  await form.getByLabel('Password', { exact: true }).fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByText('Password must be at least 10 characters')).toBeVisible();
  await expect(form.getByText('Repeat the password')).toBeVisible();
  await form.getByLabel('Password', { exact: true }).fill(LEE.password);
  await form.getByLabel('Confirm password').fill(LEE.password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByText(`The username "${ADMIN.username}" is taken.`)).toBeVisible();
  await saveScreenshot(page, 'admin-users-taken');

  await createUser(page, LEE);
  await createUser(page, MALLORY);
  await expect(users.getByRole('row')).toHaveCount(4);

  const audit = page.getByRole('table', { name: 'Audit log' });
  await expect(audit.getByRole('row').filter({ hasText: 'user:mallory' })).toContainText('User created');
  await expect(audit.getByRole('row').filter({ hasText: 'user:lee' })).toContainText(ADMIN.username);
  await expect(audit.getByRole('row').filter({ hasText: 'Setup' })).toContainText('127.0.0.1');
  const auditText = (await audit.textContent()) ?? '';
  for (const secret of [ADMIN.password, LEE.password, MALLORY.password]) expect(auditText).not.toContain(secret);
  await saveScreenshot(page, 'admin-users-created');

  // A project, with lee as a viewer.
  await page.getByRole('link', { name: 'Tapscope — all projects' }).click();
  const pcode = await createProject(page, {
    name: 'Storefront',
    regionLabel: /^Local/,
    group: '',
    timezone: 'UTC',
    shot: 'admin-users',
    fromEmpty: true,
  });
  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Username').fill(LEE.username);
  await page.getByLabel('Role', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Add member' }).click();
  const members = page.getByRole('table', { name: 'Members' });
  await expect(members.getByRole('combobox', { name: `Role of ${LEE.username}` })).toHaveValue('viewer');
  await saveScreenshot(page, 'admin-users-members');

  // lee, in a browser of their own: the project, read-only, and no Administration.
  const lee = await signedInPage(browser, collector.baseURL, LEE);
  try {
    await expect(lee.page.getByRole('link', { name: 'Administration' })).toHaveCount(0);
    await lee.page.getByRole('link', { name: 'Storefront' }).click();
    await lee.page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Install & keys' }).click();
    await expect(lee.page.getByRole('heading', { name: 'Install & keys' })).toBeVisible();
    await expect(lee.page.getByText('Viewers cannot issue license keys.')).toBeVisible();
    await expect(lee.page.getByRole('button', { name: 'Issue license key' })).toHaveCount(0);
    await saveScreenshot(lee.page, 'admin-users-viewer');
    // The API agrees with the console: a viewer cannot issue a key, and cannot open /admin's data.
    const issue = await lee.page.request.post(`/api/v1/projects/${pcode}/licenses`, {
      data: { label: 'sneaky' },
      headers: { 'x-tapscope-client': 'console' },
    });
    expect(issue.status()).toBe(403);
    expect((await lee.page.request.get('/api/v1/users')).status()).toBe(403);
  } finally {
    await lee.context.close();
  }

  // mallory, not a member: "not found", from the console and from the API alike.
  const mallory = await signedInPage(browser, collector.baseURL, MALLORY);
  try {
    await expect(mallory.page.getByRole('heading', { name: 'Create your first project' })).toBeVisible();
    await mallory.page.goto(`/projects/${pcode}/dashboard`);
    await expect(mallory.page.getByRole('heading', { name: 'Project not found' })).toBeVisible();
    await expect(mallory.page.getByText('Storefront')).toHaveCount(0);
    await saveScreenshot(mallory.page, 'admin-users-not-found');
    const api = await mallory.page.request.get(`/api/v1/projects/${pcode}`);
    expect(api.status()).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');

    await mallory.page.goto('/admin');
    await expect(mallory.page.getByRole('heading', { name: 'Administrators only' })).toBeVisible();
    await saveScreenshot(mallory.page, 'admin-users-forbidden');
  } finally {
    await mallory.context.close();
  }
});
