import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir, startTestCollector, type TestCollector } from '../testing/test-collector';
import { CSP } from './console-static';

let c: TestCollector | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await c?.close();
  c = undefined;
  for (const f of cleanups.splice(0)) f();
});

function fakeBuild(): string {
  const { dataDir, remove } = makeDataDir();
  cleanups.push(remove);
  const dist = join(dataDir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Tapscope</title><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
  return dist;
}

describe('the static console', () => {
  it('serves index.html at / and for deep links, with security headers', async () => {
    c = await startTestCollector({ consoleDir: fakeBuild() });
    for (const path of ['/', '/projects/abcdefgh/hitmap', '/login?next=%2Fprojects']) {
      const res = await fetch(c.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('<div id="root">');
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves fingerprinted assets as immutable and 404s missing ones', async () => {
    c = await startTestCollector({ consoleDir: fakeBuild() });
    const js = await fetch(`${c.url}/assets/index-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${c.url}/assets/gone-123.js`)).status).toBe(404);
  });

  it('never serves files outside dist/', async () => {
    c = await startTestCollector({ consoleDir: fakeBuild() });
    for (const path of ['/../../../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd']) {
      // node:http sends the path as written; fetch would normalise the dots away.
      const body = await new Promise<string>((resolve, reject) => {
        request(`${c!.url}${path}`, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(body).not.toContain('root:');
    }
  });

  it('keeps unknown API paths as JSON 404s, not the SPA', async () => {
    c = await startTestCollector({ consoleDir: fakeBuild() });
    const res = await fetch(`${c.url}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No such API endpoint: GET /api/v1/no-such-thing' },
    });
  });

  it('says how to build the console when dist/ is missing', async () => {
    c = await startTestCollector(); // consoleDir points to an empty place
    for (const path of ['/', '/projects']) {
      const res = await fetch(c.url + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Console not built: run npm run build');
    }
  });
});
