import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { FrameType } from '../ingest/frames';
import { ApiClient } from '../testing/api-client';
import { type PgServer, postgresAvailable, startPgServer } from '../testing/pg-server';
import { FrameClient } from '../testing/telemetry-fixtures';
import { ADMIN } from '../testing/test-collector';
import { type CollectorProcess, startCollectorProcess } from './collector-process';

// Two collector processes on one PostgreSQL meta database (telemetry in each one's SQLite).
describe.runIf(postgresAvailable())('revocation across two collectors on one PostgreSQL', () => {
  let pg: PgServer;
  const dirs: string[] = [];
  const collectors: CollectorProcess[] = [];
  let metaUrl = '';

  beforeAll(async () => {
    pg = await startPgServer();
    metaUrl = await pg.createDatabase('tapscope_revoke');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(collectors.map((c) => c.stop()));
    await pg?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const start = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tapscope-revoke-'));
    dirs.push(dataDir);
    const c = await startCollectorProcess({ TAPSCOPE_META_URL: metaUrl, TAPSCOPE_DATA_DIR: dataDir });
    collectors.push(c);
    return c;
  };

  it('ends the sessions on both collectors when the key is revoked on one, and when the project is deleted', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const onA = new ApiClient(a.httpUrl);
    const token = /setup token: (\S+)/.exec(a.output())?.[1] ?? /setup token: (\S+)/.exec(b.output())?.[1];
    expect((await onA.post(apiPaths.setup, { ...ADMIN, token })).status).toBe(201);
    const project = await onA.post(apiPaths.projects, { name: 'Shop', region: 'local' });
    const pcode = project.body.project.pcode as string;
    const issue = async (label: string) => {
      const res = await onA.post(apiPaths.licenses(pcode), { label });
      expect(res.status).toBe(201);
      return { key: res.body.key as string, id: res.body.license.id as number };
    };
    const first = await issue('first');
    const second = await issue('second');

    const session = async (port: number, key: string, name: string) => {
      const c = await FrameClient.connect(port);
      expect((await c.hello(key, name)).type).toBe(FrameType.WELCOME);
      return c;
    };
    const onAKey1 = await session(a.ingestPort, first.key, 'a-1');
    const onBKey1 = await session(b.ingestPort, first.key, 'b-1');
    const onBKey2 = await session(b.ingestPort, second.key, 'b-2');

    expect((await onA.delete(apiPaths.license(pcode, first.id))).status).toBeLessThan(300);
    for (const c of [onAKey1, onBKey1]) {
      expect(await c.next(5000)).toMatchObject({ type: FrameType.REFUSE, body: { code: 'license_revoked' } });
      await c.waitClosed();
    }
    // The other key's session is untouched until its project goes.
    expect(onBKey2.closed).toBe(false);
    expect((await onA.delete(apiPaths.project(pcode))).status).toBeLessThan(300);
    expect(await onBKey2.next(5000)).toMatchObject({ type: FrameType.REFUSE, body: { code: 'project_deleted' } });
    onBKey2.close();
  }, 120_000);
});
