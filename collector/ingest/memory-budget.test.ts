import { afterEach, describe, expect, it } from 'vitest';
import { FrameClient, type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { FrameType } from './frames';

const MiB = 1024 * 1024;

describe('ingest memory budget', () => {
  let h: IngestHarness | undefined;
  const clients: FrameClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await h?.close();
    h = undefined;
  });
  const ready = async (objectName: string) => {
    const c = await FrameClient.connect(h!.port);
    clients.push(c);
    expect((await c.hello(h!.license, objectName)).type).toBe(FrameType.WELCOME);
    return c;
  };

  it('keeps 200 partial 8 MiB frames within the global budget and still serves a small batch', async () => {
    const budget = 64 * MiB;
    h = await startIngestHarness({ ingest: { maxTotalBytes: budget, maxConnectionsPerLicense: 300, idleTimeoutMs: 120_000 } });
    const calm = await ready('calm');
    global.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    // One shared buffer for every connection: the test itself holds 8 MiB, whatever the collector does.
    const frame = Buffer.alloc(8 * MiB);
    frame.writeUInt32BE(8 * MiB - 4, 0);
    frame.writeUInt8(FrameType.TX_BATCH, 4);
    const partial = frame.subarray(0, 8 * MiB - 1);
    const attackers = await Promise.all(Array.from({ length: 200 }, (_, i) => ready(`hog-${i}`)));
    for (const a of attackers) a.raw(partial);
    // Wait until the collector stops taking more: the budget is full and stays full.
    let last = -1;
    for (let stable = 0; stable < 10; ) {
      await new Promise((r) => setTimeout(r, 200));
      const now = h.server.budgetBytes();
      stable = now === last && now > budget / 2 ? stable + 1 : 0;
      last = now;
    }
    expect(h.server.budgetBytes()).toBeLessThanOrEqual(budget);
    const grown = process.memoryUsage().arrayBuffers - before;
    // The budget, the test's own shared buffer, and at most one 64 KiB socket read buffer per
    // connection (node allocates it per read); without the budget this grows by 200 × 8 MiB.
    expect(grown).toBeLessThan(budget + 8 * MiB + 200 * 64 * 1024);

    calm.send(FrameType.TX_BATCH, { seq: 1, txs: [{ txid: 'calmtx0001', start: Date.now() - 5, end: Date.now(), elapsed: 5, url: '/' }] });
    expect(await calm.next(20_000)).toMatchObject({ type: FrameType.ACK, body: { seq: 1, stored: 1 } });
  }, 120_000);

  it('refuses connections of one license beyond its limit, naming the limit', async () => {
    h = await startIngestHarness({ ingest: { maxConnectionsPerLicense: 2 } });
    await ready('a');
    await ready('b');
    const c = await FrameClient.connect(h.port);
    clients.push(c);
    const answer = await c.hello(h.license, 'c');
    expect(answer).toMatchObject({ type: FrameType.REFUSE, body: { code: 'license_connections' } });
    expect(String(answer.body.message)).toContain('limit 2');
    clients.shift()!.close();
    await new Promise((r) => setTimeout(r, 300));
    await ready('d');
  });
});
