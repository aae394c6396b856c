import { test, expect } from '../fixtures/collector';
import { createProject, issueAndCopyKey, openSettings, revokeKey, setUpAdmin, signIn, signOut } from '../fixtures/console-flow';

// The built console served by a real collector (fresh data directory): the same flow as
// the mock spec, from the setup screen of a new installation. The tests share the
// collector (one per spec file) and build on each other.
test.describe.configure({ mode: 'serial' });

test('a new installation: set up → create project → issue, copy and revoke a key', async ({ page, request, collector }) => {
  expect(await (await request.get('/api/v1/setup')).json()).toEqual({ needsSetup: true });

  await page.goto('/');
  await setUpAdmin(page, 'ops-admin', 'a-long-enough-password', 'collector', collector.setupToken);
  const pcode = await createProject(page, {
    name: 'Checkout',
    regionLabel: /^Local/,
    group: 'Commerce',
    timezone: 'Europe/Berlin',
    shot: 'collector',
    fromEmpty: true,
  });
  const key = await issueAndCopyKey(page, pcode, 'collector');
  await revokeKey(page, key, 'collector');
  await openSettings(page, 'Checkout', 'collector');

  await signOut(page, 'ops-admin');
  await signIn(page, 'ops-admin', 'a-long-enough-password', 'collector');
  await expect(page.getByRole('link', { name: 'Checkout' })).toBeVisible();
});

test('an expired session sends the user back to sign-in', async ({ page, context }) => {
  await page.goto('/login');
  await signIn(page, 'ops-admin', 'a-long-enough-password', 'collector-again');
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByRole('navigation', { name: 'Project' })).toBeVisible();
  // The server forgets the browser's session: the next query answers 401. That is either the
  // page's own polling (the agents query refreshes every 5 s, and may win on a busy machine, taking
  // the link away) or the user opening Settings; either way the user lands on sign-in with the reason.
  await context.clearCookies();
  await page
    .getByRole('navigation', { name: 'Project' })
    .getByRole('link', { name: 'Settings' })
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await expect(page.getByText('Your session has expired. Sign in again.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
