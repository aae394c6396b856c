import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type IngestServer, startIngestServer } from '../ingest/server';
import type { MetaStore } from '../store/meta-store';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { openSqliteTelemetryStore, type SqliteTelemetryStore } from '../store/sqlite/telemetry-store';
import { silentLog } from '../testing/telemetry-fixtures';
import { deriveParamCipher, encryptParams } from './paramkey';
import { DEMO_PARAMKEY, type Demo, startDemo } from './start-demo';

/** What the console does in the browser (docs/paramkey.md), here with node:crypto. */
function decrypt(envelope: string, paramkey: string): string {
  const [v, salt, nonce, body] = envelope.split('.');
  expect(v).toBe('v1');
  const key = pbkdf2Sync(paramkey, Buffer.from(salt!, 'base64url'), 600_000, 32, 'sha256');
  const data = Buffer.from(body!, 'base64url');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce!, 'base64url'));
  d.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]).toString('utf8');
}

describe('parameter encryption', () => {
  it('matches the shared test vector', async () => {
    const v = JSON.parse(readFileSync(new URL('../../docs/paramkey-test-vector.json', import.meta.url), 'utf8')) as Record<string, string>;
    const cipher = await deriveParamCipher(v.key!, Buffer.from(v.salt_b64url!, 'base64url'));
    expect(encryptParams(cipher, v.plaintext!, Buffer.from(v.nonce_b64url!, 'base64url'))).toBe(v.envelope);
    expect(decrypt(v.envelope!, v.key!)).toBe(v.plaintext);
  });
});

describe('demo mode', () => {
  let h: { dir: string; meta: MetaStore; telemetry: SqliteTelemetryStore; server: IngestServer; port: number } | undefined;
  let demo: Demo | undefined;
  afterEach(async () => {
    await demo?.stop();
    await h?.server.close();
    await h?.telemetry.close();
    await h?.meta.close();
    if (h) rmSync(h.dir, { recursive: true, force: true });
    h = undefined;
  });

  /** Ingest over fresh SQLite stores: as on a fresh install, no admin yet. */
  async function startFreshCollector() {
    const dir = mkdtempSync(join(tmpdir(), 'tapscope-demo-'));
    const meta = openSqliteMetaStore(join(dir, 'meta.sqlite'));
    const telemetry = openSqliteTelemetryStore(join(dir, 'telemetry.sqlite'));
    const server = await startIngestServer({
      meta,
      telemetry,
      config: { ingest: { host: '127.0.0.1', port: 0 } },
      log: silentLog,
      retentionJob: false,
    });
    return { dir, meta, telemetry, server, port: server.port };
  }

  it('waits for the admin, then runs four agents whose parameters open with the demo key', async () => {
    h = await startFreshCollector();
    const meta = h.meta;
    const lines: string[] = [];
    demo = await startDemo({ ingestPort: h.port, dataDir: h.dir, meta, httpUrl: 'http://127.0.0.1:8080', print: (l) => lines.push(l), waitForAdminMs: 50, backfillMinutes: 4 });
    expect(lines.join('\n')).toContain('create the admin account at http://127.0.0.1:8080');
    expect(await meta.findProjectByName('Demo shop')).toBeNull();

    const admin = await meta.createUser('admin', 'x', true, Date.now());
    await expect.poll(() => lines.some((l) => l === `demo security key: ${DEMO_PARAMKEY}`), { timeout: 5000 }).toBe(true);
    const project = (await meta.findProjectByName('Demo shop'))!;
    expect(await meta.getRole(project.pcode, admin.id)).toBe('owner');
    await expect.poll(async () => (await meta.listAgents(project.pcode)).length, { timeout: 20_000 }).toBe(4);

    const until = Date.now() + 60_000;
    // The back-fill (4 minutes of about 25 tx/s) holds a few dozen failed transactions.
    await expect.poll(async () => (await h!.telemetry.stats(project.pcode, 'errors', 0, until)).length, { timeout: 20_000 }).toBeGreaterThan(1);
    const list = await h.telemetry.listTransactions(project.pcode, { from: 0, to: until, limit: 5000, sort: 'end' });
    const urls = new Set(list.transactions.map((t) => t.url));
    expect(urls.size).toBeGreaterThan(5);
    expect(list.transactions.some((t) => t.error !== null)).toBe(true);
    const withSql = list.transactions.find((t) => t.url === '/products/{id}')!;
    const profile = (await h.telemetry.getProfile(project.pcode, withSql.txid))!;
    const sql = profile.steps.find((s) => s.kind === 'sql' && s.params)!;
    expect(JSON.parse(decrypt(sql.params!, DEMO_PARAMKEY))).toEqual([expect.any(Number)]);
    expect(profile.steps.some((s) => s.kind === 'dbc')).toBe(true);
    await expect.poll(async () => (await h!.telemetry.counters(project.pcode, Date.now() - 600_000, Date.now())).points.length, { timeout: 10_000 }).toBeGreaterThan(0);

    // A restart reuses the project and the stored license key.
    await demo.stop();
    const licenses = (await meta.listLicenses(project.pcode)).length;
    demo = await startDemo({ ingestPort: h.port, dataDir: h.dir, meta, print: () => {}, backfillMinutes: 0 });
    expect((await meta.listLicenses(project.pcode)).length).toBe(licenses);
    expect((await meta.listProjects(admin.id)).filter((p) => p.name === 'Demo shop')).toHaveLength(1);
  });
});
