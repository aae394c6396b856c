import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { ApiClient } from '../testing/api-client';
import { ADMIN, makeDataDir, setupAdmin, startTestCollector, TEST_SETUP_TOKEN, type TestCollector } from '../testing/test-collector';

const WITH_TOKEN = { ...ADMIN, token: TEST_SETUP_TOKEN };

const started: TestCollector[] = [];
const cleanups: Array<() => void> = [];
async function start(options: Parameters<typeof startTestCollector>[0] = {}) {
  const c = await startTestCollector(options);
  started.push(c);
  return c;
}
afterEach(async () => {
  for (const c of started.splice(0)) await c.close();
  for (const f of cleanups.splice(0)) f();
});

describe('first-run setup', () => {
  it('creates the first admin once, signs them in, and refuses a second setup', async () => {
    const c = await start();
    const browser = c.client();
    expect((await browser.get(apiPaths.setup)).body).toEqual({ needsSetup: true });
    expect((await browser.get(apiPaths.me)).status).toBe(401);

    const res = await browser.post(apiPaths.setup, WITH_TOKEN);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ username: 'admin', admin: true });
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^tapscope_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect((await browser.get(apiPaths.me)).body.user.username).toBe('admin');
    expect((await browser.get(apiPaths.setup)).body).toEqual({ needsSetup: false });

    const again = await c.client().post(apiPaths.setup, { username: 'mallory', password: 'mallory-password', token: TEST_SETUP_TOKEN });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('setup_done');
    expect(await c.meta.countUsers()).toBe(1);
  });

  it('refuses setup without the token or with a wrong one (403 naming the problem), loopback included', async () => {
    const c = await start();
    const missing = await c.client().post(apiPaths.setup, ADMIN);
    expect(missing.status).toBe(403);
    expect(missing.body.error).toMatchObject({ code: 'setup_token', field: 'token' });
    expect(missing.body.error.message).toContain('setup token is missing');
    const wrong = await c.client().post(apiPaths.setup, { ...ADMIN, token: 'guessed-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain('setup token is wrong');
    expect(await c.meta.countUsers()).toBe(0);
    expect((await c.client().post(apiPaths.setup, WITH_TOKEN)).status).toBe(201);
  });

  it('lets exactly one of two concurrent setups win', async () => {
    const c = await start({ passwordLogN: 12 });
    const results = await Promise.all(
      ['first', 'second', 'third'].map((u) => c.client().post(apiPaths.setup, { username: u, password: 'a long password', token: TEST_SETUP_TOKEN })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await c.meta.countUsers()).toBe(1);
  });

  it('answers validation errors with the field', async () => {
    const c = await start();
    const res = await c.client().post(apiPaths.setup, { username: 'admin', password: 'short', token: TEST_SETUP_TOKEN });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'validation',
      message: 'Password must be at least 10 characters',
      field: 'password',
    });
    expect(await c.meta.countUsers()).toBe(0);
  });

  it('marks the cookie Secure when secureCookies is on', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    // secureCookies has no environment variable: it comes from the config file.
    writeFileSync(`${dataDir}/config.json`, JSON.stringify({ secureCookies: true }));
    const secure = await start({ dataDir, env: { TAPSCOPE_CONFIG: `${dataDir}/config.json` } });
    const res = await secure.client().post(apiPaths.setup, WITH_TOKEN);
    expect(res.headers.getSetCookie()[0]).toContain('; Secure');
  });
});

describe('sign in and out', () => {
  it('signs in with a new token each time and signs out for good', async () => {
    const c = await start();
    await setupAdmin(c.client());
    const browser = c.client();
    const first = await browser.post(apiPaths.session, { username: 'ADMIN', password: ADMIN.password });
    expect(first.status).toBe(200);
    expect(first.body.user.username).toBe('admin');
    const token1 = browser.cookies.get('tapscope_session');
    const second = await browser.post(apiPaths.session, ADMIN);
    expect(second.status).toBe(200);
    const token2 = browser.cookies.get('tapscope_session');
    expect(token2).not.toBe(token1);
    // The token held before signing in again is destroyed.
    const stale = new ApiClient(c.url);
    stale.cookies.set('tapscope_session', token1!);
    expect((await stale.get(apiPaths.me)).status).toBe(401);

    const out = await browser.delete(apiPaths.session);
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toContain('Max-Age=0');
    expect((await browser.get(apiPaths.me)).status).toBe(401);
    // The old token no longer works even if the browser kept it.
    const replay = new ApiClient(c.url);
    replay.cookies.set('tapscope_session', token2!);
    const me = await replay.get(apiPaths.me);
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthenticated');
  });

  it('says "wrong username or password" for a wrong password and for an unknown user alike', async () => {
    const c = await start();
    await setupAdmin(c.client());
    const wrong = await c.client().post(apiPaths.session, { username: 'admin', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: 'unauthenticated', message: 'Wrong username or password.' });
    const unknown = await c.client().post(apiPaths.session, { username: 'nobody', password: 'not the password' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe('Wrong username or password.');
    const empty = await c.client().post(apiPaths.session, { username: 'admin', password: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ field: 'password', message: 'Enter your password' });
  });

  it('does not record an unknown username in the audit log (it may be a mistyped password)', async () => {
    const c = await start();
    const admin = c.client();
    await setupAdmin(admin);
    const typo = await c.client().post(apiPaths.session, { username: 'Sup3rSecret.pw', password: 'whatever-else' });
    expect(typo.status).toBe(401);
    const audit = await admin.get(apiPaths.audit);
    const failed = audit.body.entries.filter((e: { action: string }) => e.action === 'sign_in_failed');
    expect(failed).toEqual([expect.objectContaining({ actor: '(unknown user)', detail: 'unknown user' })]);
    expect(JSON.stringify(audit.body)).not.toContain('Sup3rSecret.pw');
  });

  it('rate-limits after 5 failures per username and IP, even for the right password', async () => {
    const c = await start({ passwordLogN: 12 });
    await setupAdmin(c.client());
    const browser = c.client();
    for (let i = 0; i < 5; i++) {
      const res = await browser.post(apiPaths.session, { username: 'admin', password: `guess number ${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await browser.post(apiPaths.session, ADMIN);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(blocked.body.error.message).toBe('Too many failed sign-in attempts. Try again in 15 minutes.');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another username from the same address is not locked out by these failures.
    const other = await browser.post(apiPaths.session, { username: 'someone', password: 'whatever pw' });
    expect(other.status).toBe(401);
  });

  it('lets the user in again once the window has passed', async () => {
    let now = Date.UTC(2025, 0, 1);
    const c = await start({ now: () => now, passwordLogN: 12 });
    await setupAdmin(c.client());
    for (let i = 0; i < 5; i++) await c.client().post(apiPaths.session, { username: 'admin', password: `wrong ${i} pw` });
    expect((await c.client().post(apiPaths.session, ADMIN)).status).toBe(429);
    now += 15 * 60_000 + 1;
    expect((await c.client().post(apiPaths.session, ADMIN)).status).toBe(200);
  });

  it('slows failed sign-ins down more with each failure', async () => {
    const c = await start({ passwordLogN: 10, signInFailureDelayMs: 150 });
    await setupAdmin(c.client());
    const timed = async () => {
      const t0 = performance.now();
      await c.client().post(apiPaths.session, { username: 'admin', password: 'wrong password' });
      return performance.now() - t0;
    };
    expect(await timed()).toBeGreaterThanOrEqual(140);
    await timed();
    expect(await timed()).toBeGreaterThanOrEqual(440);
  });

  it('keeps the session across a collector restart', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const first = await start({ dataDir });
    const browser = first.client();
    await setupAdmin(browser);
    await first.close();
    started.splice(started.indexOf(first), 1);

    const second = await start({ dataDir });
    const again = new ApiClient(second.url);
    for (const [k, v] of browser.cookies) again.cookies.set(k, v);
    const me = await again.get(apiPaths.me);
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('admin');
  });

  it('answers an expired session with "Your session has expired. Sign in again."', async () => {
    let now = Date.UTC(2025, 0, 1);
    const c = await start({ now: () => now });
    const browser = c.client();
    await setupAdmin(browser);
    now += 13 * 86_400_000;
    expect((await browser.get(apiPaths.me)).status).toBe(200);
    now += 2 * 86_400_000;
    const deadToken = browser.cookies.get('tapscope_session')!;
    const me = await browser.get(apiPaths.me);
    expect(me.status).toBe(401);
    expect(me.body.error).toEqual({ code: 'unauthenticated', message: 'Your session has expired. Sign in again.' });
    // The browser is told to drop the dead cookie.
    expect(me.headers.getSetCookie()[0]).toMatch(/^tapscope_session=; .*Max-Age=0/);
    expect(browser.cookies.has('tapscope_session')).toBe(false);

    // Any API call with the dead cookie says the same.
    const stale = new ApiClient(c.url);
    stale.cookies.set('tapscope_session', deadToken);
    const projects = await stale.get(apiPaths.projects);
    expect(projects.status).toBe(401);
    expect(projects.body.error.message).toBe('Your session has expired. Sign in again.');
    // Signing in while still sending the dead cookie sets exactly one, fresh, cookie.
    stale.cookies.set('tapscope_session', deadToken);
    const back = await stale.post(apiPaths.session, ADMIN);
    expect(back.status).toBe(200);
    expect(back.headers.getSetCookie()).toHaveLength(1);
    expect(back.headers.getSetCookie()[0]).toMatch(/^tapscope_session=[A-Za-z0-9_-]{43};/);
    expect((await stale.get(apiPaths.me)).status).toBe(200);
    // Never signed in: a different message.
    expect((await c.client().get(apiPaths.me)).body.error.message).toBe('Sign in to continue.');
  });
});

describe('request hygiene', () => {
  it('refuses state changes without the console header (CSRF)', async () => {
    const c = await start();
    const browser = c.client();
    const setup = await browser.post(apiPaths.setup, WITH_TOKEN, { csrf: false });
    expect(setup.status).toBe(403);
    expect(setup.body.error.code).toBe('csrf');
    expect(await c.meta.countUsers()).toBe(0);

    await setupAdmin(browser);
    const create = await browser.post(apiPaths.projects, { name: 'Shop', region: 'local' }, { csrf: false });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('csrf');
    expect((await browser.get(apiPaths.projects)).body.projects).toEqual([]);
    const out = await browser.delete(apiPaths.session, { csrf: false });
    expect(out.status).toBe(403);
    expect((await browser.get(apiPaths.me)).status).toBe(200);
  });

  it('answers bad bodies with clear JSON errors', async () => {
    const c = await start();
    const browser = c.client();
    const badJson = await browser.request('POST', apiPaths.setup, undefined, { rawBody: '{"username": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toEqual({ code: 'bad_request', message: 'The request body is not valid JSON.' });
    const huge = await browser.post(apiPaths.setup, { username: 'admin', password: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBe('The request body is too large (at most 64 KiB).');
    const notObject = await browser.post(apiPaths.setup, [1, 2]);
    expect(notObject.status).toBe(400);
    expect(notObject.body.error.message).toBe('The request body must be a JSON object.');
    const unknown = await browser.get('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'not_found', message: 'No such API endpoint: GET /api/v1/nothing-here' });
    expect(unknown.headers.get('cache-control')).toBe('no-store');
  });

  it('logs requests without bodies, passwords, tokens or cookies', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const c = await start({ logger: { level: 'trace', stream } });
    const browser = c.client();
    await setupAdmin(browser);
    await browser.post(apiPaths.session, { username: 'admin', password: 'a wrong password' });
    await browser.get(apiPaths.me);
    const log = lines.join('');
    expect(log).toContain('/api/v1/me');
    expect(log).not.toContain(ADMIN.password);
    expect(log).not.toContain('a wrong password');
    expect(log).not.toContain(browser.cookies.get('tapscope_session')!);
  });
});
