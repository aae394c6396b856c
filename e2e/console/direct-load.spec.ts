import { expect, test, type Page } from '@playwright/test';
import { saveScreenshot } from '../fixtures/screenshots';

// A page loaded directly (refresh, bookmark, shared link) must look like the same page reached
// by in-app navigation: the shared form styles load with the shell, not with another page.

const PCODE = 'demoshop';
const STYLE_PROPS = ['border-top-width', 'border-top-style', 'border-top-color', 'border-radius', 'padding-left', 'padding-top', 'font-family', 'font-size', 'background-color'];

async function signIn(page: Page) {
  await page.goto('/?mock=default');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('tapscope-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
}

/** A transaction of the seeded demo shop, from the mock API. */
async function someTxid(page: Page): Promise<string> {
  return page.evaluate(async (pcode) => {
    const to = Date.now();
    const res = await fetch(`/api/v1/projects/${pcode}/transactions?from=${to - 10 * 60_000}&to=${to}&limit=1`);
    const body = (await res.json()) as { transactions: Array<{ txid: string }> };
    return body.transactions[0]!.txid;
  }, PCODE);
}

const FORM_CONTROL = 'main select, main input:not([type=hidden]):not([type=checkbox]):not([type=radio])';

/** The computed style of the page's first control matching `selector`. */
async function controlStyle(page: Page, selector: string): Promise<Record<string, string>> {
  const control = page.locator(selector).first();
  await expect(control).toBeVisible({ timeout: 20_000 });
  return control.evaluate((el, props) => {
    const style = getComputedStyle(el);
    return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
  }, STYLE_PROPS);
}

/** The page title's look: the shell's and the page header's styles. */
async function headingStyle(page: Page): Promise<Record<string, string>> {
  const heading = page.locator('main h1').first();
  await expect(heading).toBeVisible({ timeout: 20_000 });
  return heading.evaluate((el) => {
    const style = getComputedStyle(el);
    return { font: style.font, color: style.color, margin: style.margin };
  });
}

/** Client-side navigation, as a link click does: react-router follows history changes. */
async function navigateInApp(page: Page, path: string) {
  await page.evaluate((p) => {
    window.history.pushState({}, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

test('every main route looks the same loaded directly as reached in the app', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  const txid = await someTxid(page);
  const routes = [
    `/projects/${PCODE}/hitmap`,
    `/projects/${PCODE}/transactions/${encodeURIComponent(txid)}`,
    // The dashboard has no form control: its agent picker and range buttons.
    `/projects/${PCODE}/dashboard`,
    `/projects/${PCODE}/agents`,
    `/projects/${PCODE}/stats`,
    `/projects/${PCODE}/install`,
    `/projects/${PCODE}/settings`,
  ];
  for (const route of routes) {
    const selector = route.endsWith('/dashboard') ? 'main button' : FORM_CONTROL;
    await page.goto(route);
    const direct = await controlStyle(page, selector);
    const directHeading = await headingStyle(page);
    // Both ways are saved side by side (direct-<page>.png, in-app-<page>.png) for a person to compare.
    const name = route.split('/')[3]!;
    await page.waitForTimeout(800);
    await saveScreenshot(page, `direct-${name}`, { fullPage: false });
    // In the app: another page (the install guide, which uses the shared form components) first.
    await page.goto(`/projects/${PCODE}/install`);
    await expect(page.getByRole('heading', { name: 'Install & keys' })).toBeVisible();
    await navigateInApp(page, route);
    await expect(page).toHaveURL(new RegExp(route.replace(/[.?]/g, '\\$&') + '$'));
    // The install page stays up until the next page's code has loaded.
    if (!route.endsWith('/install')) await expect(page.getByRole('heading', { name: 'Install & keys' })).toHaveCount(0, { timeout: 20_000 });
    const inApp = await controlStyle(page, selector);
    expect(direct, `${route}: loaded directly vs. in-app`).toEqual(inApp);
    expect(directHeading, `${route}: the page title, loaded directly vs. in-app`).toEqual(await headingStyle(page));
    await page.waitForTimeout(800);
    await saveScreenshot(page, `in-app-${name}`, { fullPage: false });
    // And the shared style is applied at all (not the browser's default 2px inset border).
    if (selector === FORM_CONTROL) expect(direct['border-top-style'], route).toBe('solid');
  }
});
