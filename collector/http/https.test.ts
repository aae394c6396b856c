import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from '../../src/api/errors';
import { apiPaths } from '../../src/api/paths';
import { loadConfig } from '../config';
import { startCollector, type RunningCollector } from '../server';
import { ADMIN, makeDataDir, startTestCollector, TEST_SETUP_TOKEN, type TestCollector } from '../testing/test-collector';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A self-signed certificate for 127.0.0.1, made by the openssl CLI in the test's directory. */
function selfSigned(dir: string): { certFile: string; keyFile: string; cert: Buffer } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { certFile, keyFile, cert: readFileSync(certFile) };
}

function httpsPost(url: string, body: unknown, ca: Buffer): Promise<{ status: number; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', ca, headers: { 'content-type': 'application/json', [CLIENT_HEADER]: CLIENT_HEADER_VALUE } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('HTTPS for the console and API', () => {
  it('serves HTTPS with http.tls and marks the session cookie Secure; says once that ingest TLS is off', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const tls = selfSigned(dataDir);
    const config = loadConfig({ TAPSCOPE_HTTP_HOST: '127.0.0.1', TAPSCOPE_INGEST_HOST: '127.0.0.1' }, [
      '--http-port', '0', '--ingest-port', '0', '--data-dir', dataDir,
    ]);
    const logged: string[] = [];
    const stream = { write: (line: string) => void logged.push(line) };
    const running: RunningCollector = await startCollector(
      { ...config, http: { ...config.http, tls: { certFile: tls.certFile, keyFile: tls.keyFile } } },
      { print: () => {}, app: { logger: { level: 'warn', stream }, setupToken: TEST_SETUP_TOKEN } },
    );
    cleanups.push(() => running.close());
    expect(running.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await httpsPost(`${running.httpUrl}${apiPaths.setup}`, { ...ADMIN, token: TEST_SETUP_TOKEN }, tls.cert);
    expect(res.status).toBe(201);
    expect(res.setCookie[0]).toContain('; Secure');
    expect(logged.filter((l) => l.includes('ingest TLS is off'))).toHaveLength(1);
  });

  it('marks cookies Secure when a trusted proxy says X-Forwarded-Proto: https, and only then', async () => {
    const proxied: TestCollector = await startTestCollector({
      configure: (c) => ({ ...c, http: { ...c.http, trustProxy: ['127.0.0.1'] } }),
    });
    cleanups.push(() => proxied.close());
    const direct: TestCollector = await startTestCollector();
    cleanups.push(() => direct.close());
    const viaProxy = { headers: { 'x-forwarded-proto': 'https' } };
    const a = await proxied.client().request('POST', apiPaths.setup, { ...ADMIN, token: TEST_SETUP_TOKEN }, viaProxy);
    expect(a.headers.getSetCookie()[0]).toContain('; Secure');
    const b = await direct.client().request('POST', apiPaths.setup, { ...ADMIN, token: TEST_SETUP_TOKEN }, viaProxy);
    expect(b.status).toBe(201);
    expect(b.headers.getSetCookie()[0]).not.toContain('Secure');
  });
});
