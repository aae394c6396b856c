import type { Browser, Page } from '@playwright/test';
import { test, expect } from '../fixtures/collector';
import { createProject, setUpAdmin } from '../fixtures/console-flow';
import { saveScreenshot } from '../fixtures/screenshots';

// Taking access back, on a real collector, as the people involved see it: an administrator
// disables a user who is signed in elsewhere (their next page is the sign-in page, and the
// right password only says "disabled"), enables them again; an owner makes a member a viewer
// (read-only at once); "Sign out everywhere" ends the user's other browser; a deleted user
// is signed out and cannot sign in.
const ADMIN = { username: 'ops-admin', password: 'a-long-enough-password' };
const LEE = { username: 'lee', password: 'lee-has-a-long-password' };
const KIM = { username: 'kim', password: 'kim-has-a-long-password' };
const DISABLED = 'This account is disabled. Ask an administrator to enable it.';

async function createUser(page: Page, user: { username: string; password: string }) {
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('Username').fill(user.username);
  await form.getByLabel('Password', { exact: true }).fill(user.password);
  await form.getByLabel('Confirm password').fill(user.password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('table', { name: 'Users' }).getByRole('cell', { name: user.username, exact: true })).toBeVisible();
}

async function fillSignIn(page: Page, user: { username: string; password: string }) {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A browser of its own (own cookies), signed in as `user`, on the projects page. */
async function signedInPage(browser: Browser, baseURL: string, user: { username: string; password: string }) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  await page.goto('/login');
  await fillSignIn(page, user);
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  return page;
}

/** The next page this browser opens is the sign-in page: its session is gone. */
async function expectSignedOut(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
}

function userRow(page: Page, username: string) {
  return page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
}

test('an administrator and an owner take access back; a user signs out everywhere', async ({ page, browser, collector }) => {
  // Four browsers and a dozen scrypt hashes at the collector's real cost: slow on a busy 2-core machine.
  test.setTimeout(240_000);
  await page.goto('/');
  await setUpAdmin(page, ADMIN.username, ADMIN.password, 'revoke', collector.setupToken);
  await expect(page.getByRole('heading', { name: 'Create your first project' })).toBeVisible();
  const pcode = await createProject(page, {
    name: 'Storefront',
    regionLabel: /^Local/,
    group: '',
    timezone: 'UTC',
    shot: 'revoke',
    fromEmpty: true,
  });

  await page.getByRole('link', { name: 'Administration' }).click();
  await createUser(page, LEE);
  await createUser(page, KIM);

  await page.goto(`/projects/${pcode}/settings`);
  for (const name of [LEE.username, KIM.username]) {
    await page.getByLabel('Username').fill(name);
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByRole('combobox', { name: `Role of ${name}` })).toHaveValue('member');
  }

  const lee = await signedInPage(browser, collector.baseURL, LEE);
  const kim = await signedInPage(browser, collector.baseURL, KIM);
  try {
    await test.step('disabling signs lee out at once; the right password only says "disabled"', async () => {
      await page.goto('/admin');
      await userRow(page, LEE.username).getByRole('button', { name: `Disable ${LEE.username}` }).click();
      const dialog = page.getByRole('dialog', { name: `Disable ${LEE.username}?` });
      await expect(dialog).toContainText('signed out everywhere at once');
      await dialog.getByRole('button', { name: 'Disable user' }).click();
      await expect(dialog).toBeHidden();
      await expect(userRow(page, LEE.username)).toContainText('Disabled');
      await expect(userRow(page, LEE.username).getByRole('button', { name: `Enable ${LEE.username}` })).toBeVisible();
      await expect(userRow(page, ADMIN.username)).toContainText('Your account');
      await expect(page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'User disabled' })).toContainText(
        'user:lee',
      );
      await saveScreenshot(page, 'revoke-users-disabled');

      await expectSignedOut(lee, `/projects/${pcode}/dashboard`);
      await fillSignIn(lee, { ...LEE, password: 'not-the-password-at-all' });
      await expect(lee.getByRole('alert')).toContainText('Wrong username or password.');
      await fillSignIn(lee, LEE);
      await expect(lee.getByRole('alert')).toContainText(DISABLED);
      await expect(lee).toHaveURL(/\/login/);
      await saveScreenshot(lee, 'revoke-disabled-sign-in');
    });

    await test.step('enabled again, lee signs in (and is back on the page that asked)', async () => {
      await userRow(page, LEE.username).getByRole('button', { name: `Enable ${LEE.username}` }).click();
      await expect(userRow(page, LEE.username)).toContainText('Active');
      await fillSignIn(lee, LEE);
      await expect(lee.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    });

    await test.step('the owner makes lee a viewer: lee sees the project read-only', async () => {
      await page.goto(`/projects/${pcode}/settings`);
      await page.getByRole('combobox', { name: `Role of ${LEE.username}` }).selectOption('viewer');
      await expect(page.getByRole('combobox', { name: `Role of ${LEE.username}` })).toHaveValue('viewer');
      await expect.poll(async () => (await page.request.get(`/api/v1/projects/${pcode}/members`)).json()).toMatchObject({
        members: expect.arrayContaining([expect.objectContaining({ username: LEE.username, role: 'viewer' })]),
      });
      await saveScreenshot(page, 'revoke-members-roles');

      await lee.goto(`/projects/${pcode}/install`);
      await expect(lee.getByRole('heading', { name: 'Install & keys' })).toBeVisible();
      await expect(lee.getByText('Viewers cannot issue license keys.')).toBeVisible();
      await expect(lee.getByRole('button', { name: 'Issue license key' })).toHaveCount(0);
      await lee.goto(`/projects/${pcode}/settings`);
      await expect(lee.getByText('Only project owners can change these settings.')).toBeVisible();
      await expect(lee.getByRole('combobox', { name: /^Role of / })).toHaveCount(0);
    });

    await test.step('"Sign out everywhere" in one browser ends lee’s session in the other', async () => {
      const laptop = await signedInPage(browser, collector.baseURL, LEE);
      try {
        await lee.getByRole('button', { name: `Account: ${LEE.username}` }).click();
        await lee.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
        await expect(lee.getByRole('heading', { name: 'Sign in' })).toBeVisible();
        await expectSignedOut(laptop, '/projects');
      } finally {
        await laptop.context().close();
      }
      // The others are untouched.
      await page.goto('/admin');
      await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
    });

    await test.step('deleting kim signs kim out; kim cannot sign in', async () => {
      await userRow(page, KIM.username).getByRole('button', { name: `Delete ${KIM.username}` }).click();
      const dialog = page.getByRole('dialog', { name: `Delete ${KIM.username}?` });
      const confirm = dialog.getByRole('button', { name: 'Delete user' });
      await expect(confirm).toBeDisabled();
      await dialog.getByLabel(`Type “${KIM.username}” to confirm`).fill(KIM.username);
      await confirm.click();
      await expect(dialog).toBeHidden();
      await expect(userRow(page, KIM.username)).toHaveCount(0);
      await expect(page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'User deleted' })).toContainText(
        'user:kim',
      );
      await saveScreenshot(page, 'revoke-users-after-delete');

      await expectSignedOut(kim, `/projects/${pcode}/dashboard`);
      await fillSignIn(kim, KIM);
      await expect(kim.getByRole('alert')).toContainText('Wrong username or password.');
      await page.goto(`/projects/${pcode}/settings`);
      await expect(page.getByRole('combobox', { name: `Role of ${LEE.username}` })).toBeVisible();
      await expect(page.getByRole('table', { name: 'Members' }).getByRole('cell', { name: KIM.username, exact: true })).toHaveCount(0);
    });
  } finally {
    await lee.context().close();
    await kim.context().close();
  }
});
