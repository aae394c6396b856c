import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateLicenseKey } from '../licenses/license-key';
import type { MetaStore } from '../store/meta-store';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { FrameClient, type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { FrameType } from './frames';

/** The real SQLite meta store in `dir`, recording the calls these tests count. */
function recordingMetaStore(dir: string) {
  const store = openSqliteMetaStore(join(dir, 'meta.sqlite'));
  const calls = {
    getLicenseByLookup: [] as string[],
    touchAgents: [] as Array<{ ids: readonly number[]; now: number }>,
  };
  const meta: MetaStore = {
    ...store,
    getLicenseByLookup: (lookup) => {
      calls.getLicenseByLookup.push(lookup);
      return store.getLicenseByLookup(lookup);
    },
    touchAgents: (ids, now, appPids) => {
      calls.touchAgents.push({ ids: [...ids], now });
      return store.touchAgents(ids, now, appPids);
    },
  };
  return { meta, calls };
}

describe('ingest handshake', () => {
  let h: IngestHarness;
  let meta: MetaStore;
  let calls: ReturnType<typeof recordingMetaStore>['calls'];
  const clients: FrameClient[] = [];
  const connect = async () => {
    const c = await FrameClient.connect(h.port);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapscope-handshake-'));
    ({ meta, calls } = recordingMetaStore(dir));
    h = await startIngestHarness({ meta, dir });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await h.close();
  });

  it('welcomes a valid license, registers the agent and marks the license used', async () => {
    const c = await connect();
    const answer = await c.hello(h.license);
    expect(answer.type).toBe(FrameType.WELCOME);
    expect(answer.body).toMatchObject({ pcode: h.pcode, objectName: 'shop-0-12-gunicorn', maxFrame: 8 * 1024 * 1024, maxBatch: 1000 });
    const agents = await meta.listAgents(h.pcode);
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatchObject({ id: answer.body.agentId, hostname: 'web-1', pid: 4242, pythonVersion: '3.11.2' });
    expect(agents[0]!.connectedAt).not.toBeNull();
    expect((await meta.listLicenses(h.pcode))[0]!.lastUsedAt).not.toBeNull();
  });

  it('refuses a malformed key without a database look-up', async () => {
    const c = await connect();
    const before = calls.getLicenseByLookup.length;
    const answer = await c.hello(h.license.slice(0, -1) + (h.license.endsWith('A') ? 'B' : 'A'));
    expect(answer).toMatchObject({ type: FrameType.REFUSE, body: { code: 'license_malformed' } });
    expect(calls.getLicenseByLookup).toHaveLength(before);
    await c.waitClosed();
  });

  it('refuses a well-formed key that was never issued', async () => {
    const c = await connect();
    const answer = await c.hello(generateLicenseKey(h.pcode).key);
    expect(answer).toMatchObject({ type: FrameType.REFUSE, body: { code: 'license_unknown' } });
    expect(String(answer.body.message)).not.toContain('tsl_');
    await c.waitClosed();
  });

  it('refuses a revoked key', async () => {
    await meta.revokeLicense(h.pcode, h.licenseId, Date.now());
    const c = await connect();
    expect(await c.hello(h.license)).toMatchObject({ type: FrameType.REFUSE, body: { code: 'license_revoked' } });
  });

  it('refuses a key whose project was deleted', async () => {
    await meta.deleteProject(h.pcode);
    const c = await connect();
    expect(await c.hello(h.license)).toMatchObject({ type: FrameType.REFUSE, body: { code: 'project_deleted' } });
  });

  it('refuses a HELLO with a wrong protocol version or missing object name', async () => {
    const c = await connect();
    c.send(FrameType.HELLO, { proto: 2, license: h.license, objectName: 'x' });
    expect(await c.next()).toMatchObject({ type: FrameType.REFUSE, body: { code: 'protocol' } });
    const d = await connect();
    d.send(FrameType.HELLO, { proto: 1, license: h.license });
    const answer = await d.next();
    expect(answer).toMatchObject({ type: FrameType.REFUSE, body: { code: 'protocol' } });
    expect(String(answer.body.message)).toContain('objectName');
  });

  it('closes with ERROR when the first frame is not HELLO', async () => {
    const c = await connect();
    c.send(FrameType.TX_BATCH, { seq: 1, txs: [] });
    expect(await c.next()).toMatchObject({ type: FrameType.ERROR, body: { code: 'hello_required' } });
    await c.waitClosed();
  });

  it('gives a reconnecting agent with the same object name the same id', async () => {
    const a = await connect();
    const first = await a.hello(h.license, 'shop-0-12-gunicorn', { pid: 1 });
    a.close();
    const b = await connect();
    const second = await b.hello(h.license, 'shop-0-12-gunicorn', { pid: 2 });
    const other = await (await connect()).hello(h.license, 'shop-0-13-gunicorn');
    expect(second.body.agentId).toBe(first.body.agentId);
    expect(other.body.agentId).not.toBe(first.body.agentId);
    const agents = await meta.listAgents(h.pcode);
    expect(agents).toHaveLength(2);
    expect(agents.find((x) => x.id === first.body.agentId)!.pid).toBe(2);
  });

  it('marks the agent seen on heartbeats in batched writes, and disconnected on close', async () => {
    const c = await connect();
    const w = await c.hello(h.license);
    const id = Number(w.body.agentId);
    const agent = async () => (await meta.listAgents(h.pcode)).find((a) => a.id === id)!;
    const touchesBefore = calls.touchAgents.length;
    for (let i = 0; i < 20; i++) c.send(FrameType.HEARTBEAT, { time: Date.now() });
    c.send(FrameType.HEARTBEAT); // an empty body is allowed too
    await new Promise((r) => setTimeout(r, 1300));
    // HELLO marks nothing seen: a write naming the agent comes from its heartbeats, and it reached the store.
    const touches = () => calls.touchAgents.slice(touchesBefore).filter((t) => t.ids.includes(id));
    await expect.poll(() => touches().length, { timeout: 5000 }).toBeGreaterThan(0);
    const seen = await agent();
    expect(seen.lastSeen).toBe(Math.max(seen.firstSeen, ...touches().map((t) => t.now)));
    // 21 heartbeats, at most a couple of registry writes
    expect(calls.touchAgents.length - touchesBefore).toBeLessThanOrEqual(2);
    c.close();
    await expect.poll(async () => (await agent()).connectedAt, { timeout: 3000 }).toBeNull();
  });

  it('closes a connection that sends no HELLO in time and one that stays idle', async () => {
    await h.close();
    h = await startIngestHarness({ ingest: { helloTimeoutMs: 200, idleTimeoutMs: 400 } });
    const silent = await connect();
    expect(await silent.next(2000)).toMatchObject({ type: FrameType.ERROR, body: { code: 'hello_timeout' } });
    const idle = await connect();
    expect((await idle.hello(h.license)).type).toBe(FrameType.WELCOME);
    expect(await idle.next(2000)).toMatchObject({ type: FrameType.ERROR, body: { code: 'idle_timeout' } });
    await idle.waitClosed();
  });
});
