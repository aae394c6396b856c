import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { ADMIN, setupAdmin, startTestCollector, type TestCollector } from '../testing/test-collector';

const started: TestCollector[] = [];
async function start(options: Parameters<typeof startTestCollector>[0] = {}) {
  const c = await startTestCollector(options);
  started.push(c);
  return c;
}
afterEach(async () => {
  for (const c of started.splice(0)) await c.close();
});

const LANE_MS = 200;
const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

describe('sign-in limits', () => {
  it('verifies at most 5 of 40 parallel wrong passwords; the rest are refused with 429', async () => {
    const c = await start({ passwordLogN: 12 });
    await setupAdmin(c.client());
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        c.client().post(apiPaths.session, { username: 'admin', password: `parallel guess ${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('behind a trusted proxy, limits and audit use X-Forwarded-For; a correct password still gets in', async () => {
    const proxied = await start({
      passwordLogN: 12,
      signInLaneDelayMs: LANE_MS,
      configure: (config) => ({ ...config, http: { ...config.http, trustProxy: ['127.0.0.1'] } }),
    });
    const admin = proxied.client();
    await setupAdmin(admin);
    // 30 strangers from 30 addresses guess the admin's password in parallel.
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        proxied.client().request('POST', apiPaths.session, { username: 'admin', password: `guess ${i} pw` }, from(`203.0.113.${i + 1}`)),
      ),
    );
    const elapsed = performance.now() - t0;
    const verified = answers.filter((a) => a.status === 401).length;
    // 5 at once, then one per lane delay, at most 8 waiting: the rest are refused.
    expect(verified).toBeLessThanOrEqual(5 + 8 + Math.ceil(elapsed / LANE_MS));
    expect(verified).toBeLessThan(30);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    // The real admin, from their own address, is delayed but not locked out.
    const mine = await proxied.client().request('POST', apiPaths.session, ADMIN, from('198.51.100.7'));
    expect(mine.status).toBe(200);
    const audit = await admin.get(apiPaths.audit);
    const ips = new Set(audit.body.entries.map((e: { ip: string }) => e.ip));
    expect(ips.has('203.0.113.1')).toBe(true);
    expect(ips.has('198.51.100.7')).toBe(true);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const c = await start({ passwordLogN: 12 });
    const admin = c.client();
    await setupAdmin(admin);
    // A spoofed header per attempt must not buy more than 5 guesses.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await c.client().request('POST', apiPaths.session, { username: 'admin', password: `g ${i} pw` }, from(`10.9.0.${i}`))).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const audit = await admin.get(apiPaths.audit);
    expect(audit.body.entries.some((e: { ip: string }) => e.ip.startsWith('10.9.0.'))).toBe(false);
  });
});
