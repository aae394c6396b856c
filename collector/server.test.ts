import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../src/api/paths';
import { loadConfig } from './config';
import { startCollector, type RunningCollector } from './server';
import { ApiClient } from './testing/api-client';
import { ADMIN, makeDataDir, setupAdmin } from './testing/test-collector';

let running: RunningCollector | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await running?.close();
  running = undefined;
  cleanups.splice(0).forEach((f) => f());
});

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('startCollector', () => {
  it('opens the real stores, serves HTTP and ingest on free ports, prints them, and closes cleanly', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const lines: string[] = [];
    const config = loadConfig({ TAPSCOPE_HTTP_HOST: '127.0.0.1', TAPSCOPE_INGEST_HOST: '127.0.0.1' }, [
      '--http-port',
      '0',
      '--ingest-port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    running = await startCollector(config, { print: (l) => lines.push(l), app: { logger: false } });

    expect(lines[0]).toBe(`tapscope: http listening on http://127.0.0.1:${running.httpPort}`);
    expect(lines[1]).toBe(
      `tapscope: setup token: ${running.setupToken} (enter it on the setup page to create the first administrator)`,
    );
    expect(lines[2]).toBe(`tapscope: ingest listening on 127.0.0.1:${running.ingestPort}`);
    expect(lines[3]).toContain(`open http://127.0.0.1:${running.httpPort}`);
    expect(running.httpPort).toBeGreaterThan(0);
    expect(running.ingestPort).toBeGreaterThan(0);
    expect(await canConnect(running.ingestPort)).toBe(true);

    const browser = new ApiClient(running.httpUrl);
    await setupAdmin(browser, ADMIN, running.setupToken);
    // The default region tells agents the port ingest actually got.
    expect((await browser.get(apiPaths.regions)).body.regions[0].ingest).toEqual([`127.0.0.1:${running.ingestPort}`]);
    const created = await browser.post(apiPaths.projects, { name: 'Shop', region: 'local' });
    expect(created.status).toBe(201);
    // Project deletion reaches the real telemetry store too.
    expect((await browser.delete(apiPaths.project(created.body.project.pcode))).status).toBe(204);

    const { httpPort, ingestPort } = running;
    await running.close();
    await running.close(); // idempotent
    running = undefined;
    expect(await canConnect(httpPort)).toBe(false);
    expect(await canConnect(ingestPort)).toBe(false);

    // Everything was durable: a new collector on the same directory knows the admin.
    running = await startCollector(config, { print: () => {}, app: { logger: false } });
    const again = new ApiClient(running.httpUrl);
    expect((await again.post(apiPaths.session, ADMIN)).status).toBe(200);
  });

  it('fails with the port in use and leaves nothing open', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const config = loadConfig({ TAPSCOPE_HTTP_HOST: '127.0.0.1' }, ['--http-port', '0', '--ingest-port', '0', '--data-dir', dataDir]);
    running = await startCollector(config, { print: () => {}, app: { logger: false } });
    const clash = { ...config, http: { ...config.http, port: running.httpPort } };
    const { dataDir: other, remove: removeOther } = makeDataDir();
    cleanups.push(removeOther);
    await expect(startCollector({ ...clash, dataDir: other }, { print: () => {}, app: { logger: false } })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });

  it('refuses to start when the ingest TLS files cannot be read, naming the setting', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const config = loadConfig({ TAPSCOPE_HTTP_HOST: '127.0.0.1' }, ['--http-port', '0', '--ingest-port', '0', '--data-dir', dataDir]);
    const tls = { certFile: `${dataDir}/missing-cert.pem`, keyFile: `${dataDir}/missing-key.pem` };
    const start = startCollector({ ...config, ingest: { ...config.ingest, tls } }, { print: () => {}, app: { logger: false } });
    await expect(start).rejects.toThrow(/ingest\.tls\.certFile: cannot read ".*missing-cert\.pem": ENOENT/);
  });
});
