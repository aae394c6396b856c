import { afterEach, describe, expect, it } from 'vitest';
import { FrameClient, type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import type { IngestLog } from './config';
import { FrameType } from './frames';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function captureLog() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const at = (level: string) => (obj: unknown, msg = '') => lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const log: IngestLog = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { log, lines };
}

const tx = (txid: string, end: number) => ({ txid, start: end - 10, end, elapsed: 10, url: '/x' });

describe('ingest hardening', () => {
  let h: IngestHarness | undefined;
  const clients: FrameClient[] = [];
  const ready = async (objectName = 'agent-1') => {
    const c = await FrameClient.connect(h!.port);
    clients.push(c);
    expect((await c.hello(h!.license, objectName)).type).toBe(FrameType.WELCOME);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await h?.close();
    h = undefined;
  });

  it('closes a live session with REFUSE license_revoked once its key is revoked (SQLite meta store)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapscope-revoke-'));
    const meta = openSqliteMetaStore(join(dir, 'meta.sqlite'));
    h = await startIngestHarness({ meta, dir });
    const c = await ready();
    c.send(FrameType.TX_BATCH, { seq: 1, txs: [tx('revoke0001', Date.now())] });
    expect((await c.next(10_000)).type).toBe(FrameType.ACK);
    await meta.revokeLicense(h.pcode, h.licenseId, Date.now());
    // The re-check runs every 2 s; the answer must come well within 5 s of the revocation.
    const answer = await c.next(5000);
    expect(answer).toMatchObject({ type: FrameType.REFUSE, body: { code: 'license_revoked' } });
    await c.waitClosed();
  });

  it('closes a live session with REFUSE project_deleted once its project is deleted', async () => {
    h = await startIngestHarness();
    const c = await ready();
    await h.meta.deleteProject(h.pcode);
    expect(await c.next(5000)).toMatchObject({ type: FrameType.REFUSE, body: { code: 'project_deleted' } });
  });

  it('refuses a new object name beyond the agents-per-project cap, but not a known one', async () => {
    h = await startIngestHarness({ ingest: { maxAgentsPerProject: 2 } });
    (await ready('one')).close();
    await ready('two');
    const c = await FrameClient.connect(h.port);
    clients.push(c);
    const answer = await c.hello(h.license, 'three');
    expect(answer).toMatchObject({ type: FrameType.REFUSE, body: { code: 'agent_limit' } });
    expect(String(answer.body.message)).toContain('2 agents');
    await ready('one'); // a known agent reconnects
  });

  it('REJECTs transactions and counters whose times are outside the window, naming the field', async () => {
    h = await startIngestHarness();
    const c = await ready();
    const now = Date.now();
    c.send(FrameType.TX_BATCH, { seq: 1, txs: [tx('goodtime01', now), { ...tx('zeroend001', now), end: 0 }] });
    expect(await c.next()).toMatchObject({ type: FrameType.REJECT, body: { seq: 1, field: 'txs[1].end' } });
    c.send(FrameType.TX_BATCH, { seq: 2, txs: [{ ...tx('hugeend001', now), end: 1e308 }] });
    expect(await c.next()).toMatchObject({ type: FrameType.REJECT, body: { seq: 2, field: 'txs[0].end' } });
    c.send(FrameType.COUNTERS, { seq: 3, counters: [{ time: 1e308 }] });
    expect(await c.next()).toMatchObject({ type: FrameType.REJECT, body: { seq: 3, field: 'counters[0].time' } });
    c.send(FrameType.TX_BATCH, { seq: 4, txs: [tx('goodtime02', now)] });
    expect(await c.next(10_000)).toMatchObject({ type: FrameType.ACK, body: { seq: 4, stored: 1 } });
  });

  it('closes a connection that floods frames beyond its rate, and serves the others', async () => {
    h = await startIngestHarness({ ingest: { maxFramesPerSecond: 200, frameBurst: 400 } });
    const flood = await ready('flood');
    const calm = await ready('calm');
    const heartbeat = Buffer.from([0, 0, 0, 1, FrameType.HEARTBEAT]);
    flood.raw(Buffer.concat(Array.from({ length: 5000 }, () => heartbeat)));
    expect(await flood.next(10_000)).toMatchObject({ type: FrameType.ERROR, body: { code: 'rate_limited' } });
    await flood.waitClosed();
    calm.send(FrameType.TX_BATCH, { seq: 1, txs: [tx('calmtx0001', Date.now())] });
    expect(await calm.next(10_000)).toMatchObject({ type: FrameType.ACK, body: { seq: 1 } });
  });

  it('logs each refusal once at warn with the key prefix, never the key, rate-limited; churn at debug', async () => {
    const { log, lines } = captureLog();
    h = await startIngestHarness({ log, ingest: { maxRefusalLogPerMinute: 5 } });
    await ready('welcomed');
    const bad = h.license.slice(0, -1) + (h.license.endsWith('A') ? 'B' : 'A');
    for (let i = 0; i < 12; i++) {
      const c = await FrameClient.connect(h.port);
      clients.push(c);
      expect((await c.hello(bad)).type).toBe(FrameType.REFUSE);
    }
    const c = await ready('rejected');
    c.send(FrameType.TX_BATCH, { seq: 1, txs: [{ ...tx('zeroend002', Date.now()), end: 0 }] });
    c.send(FrameType.TX_BATCH, { seq: 2, txs: [{ ...tx('zeroend003', Date.now()), end: 0 }] });
    expect((await c.next()).type).toBe(FrameType.REJECT);
    expect((await c.next()).type).toBe(FrameType.REJECT);

    const warns = lines.filter((l) => l.level === 'warn');
    expect(warns).toHaveLength(5); // 12 refusals + 1 REJECT, capped at 5 a minute
    expect(warns[0]).toMatchObject({ msg: 'ingest: agent refused', obj: { code: 'license_malformed', remote: '127.0.0.1' } });
    const all = JSON.stringify(lines);
    expect(all).not.toContain(h.license);
    expect(all).not.toContain(bad);
    expect(lines.filter((l) => l.msg === 'ingest: agent connected').every((l) => l.level === 'debug')).toBe(true);
    expect(lines.some((l) => l.level === 'info' && /connected|opened/.test(l.msg))).toBe(false);
  });
});
