import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolAgent, RejectedError } from '../demo/agent-client';
import { CounterWindow, TrafficGenerator } from '../demo/generator';
import { FrameClient, type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { FrameType } from './frames';

const ALL = { from: 0, to: Date.now() + 86_400_000, limit: 5000, sort: 'end' as const };

describe('ingest batches', () => {
  let h: IngestHarness;
  const closers: Array<() => void> = [];

  beforeEach(async () => {
    h = await startIngestHarness();
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) c();
    await h.close();
  });

  const agent = async (objectName = 'shop-0-12-gunicorn') => {
    const a = new ProtocolAgent({ host: '127.0.0.1', port: h.port, license: h.license, hello: { objectName } });
    closers.push(() => a.close());
    await a.connect();
    return a;
  };

  it('acknowledges a batch after storing it, and a resend stores nothing twice', async () => {
    const gen = new TrafficGenerator({ seed: 7 });
    const now = Date.now();
    const txs = Array.from({ length: 200 }, (_, i) => gen.transaction(now - 60_000 + i * 100));
    const a = await agent();
    const first = await a.sendTransactions(txs);
    expect(first.stored).toBe(200);
    // The agent did not see the ACK, reconnects and resends the same transactions (new seq).
    a.disconnect();
    await a.connect();
    const again = await a.sendTransactions(txs);
    expect(again.stored).toBe(0);
    const partly = await a.sendTransactions([...txs.slice(0, 10), gen.transaction(now)]);
    expect(partly.stored).toBe(1);

    const list = await h.telemetry.listTransactions(h.pcode, ALL);
    expect(list.total).toBe(201);
    expect(new Set(list.transactions.map((t) => t.txid)).size).toBe(201);
    // Roll-ups counted each transaction once.
    const stats = await h.telemetry.stats(h.pcode, 'transactions', 0, ALL.to);
    expect(stats.reduce((s, r) => s + r.count, 0)).toBe(201);
  });

  it('stores a transaction exactly as sent, with the agent it came from', async () => {
    const a = await agent();
    // Recent times: ingest refuses times outside a window around its clock.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const tx = {
      txid: 'tx-profile-0001',
      start: t0 + 0.5,
      end: t0 + 120.2,
      elapsed: 119.7,
      url: '/orders/{id}',
      method: 'GET',
      status: 500,
      error: { class: 'ValueError', message: 'bad id <script>', stack: 'Traceback …' },
      clientIp: '10.0.0.1',
      userAgent: 'curl/8.0',
      cpu: 12.5,
      sqlCount: 1,
      sqlTime: 10.3,
      httpcCount: 1,
      httpcTime: 55,
      params: 'v1.AAECAwQFBgcICQoLDA0ODw.oKGio6Slpqeoqaqr.pHWo52LSuxQ',
      steps: [
        { kind: 'sql' as const, start: 2.1, elapsed: 10.3, text: 'SELECT * FROM t WHERE id = ?', params: 'v1.a.b.c', fetch: 1 },
        { kind: 'httpc' as const, start: 15, elapsed: 55, text: 'http://api.local/x', status: 200 },
        { kind: 'error' as const, start: 95, elapsed: 0, text: 'ValueError', error: 'bad id' },
      ],
    };
    await a.sendTransactions([tx]);
    const p = await h.telemetry.getProfile(h.pcode, 'tx-profile-0001');
    expect(p).not.toBeNull();
    expect(p!.transaction).toMatchObject({
      txid: tx.txid, agentId: a.info!.agentId, objectName: 'shop-0-12-gunicorn', elapsed: 119.7, status: 500,
      error: 'ValueError', errorMessage: 'bad id <script>', errorStack: 'Traceback …', params: tx.params,
    });
    expect(p!.steps).toEqual(tx.steps);
  });

  it('decides the error label once, at ingest: a 5xx answer without an exception is "HTTP <status>"', async () => {
    const a = await agent();
    const gen = new TrafficGenerator({ seed: 4 });
    const now = Date.now();
    const failed = { ...gen.transaction(now), txid: 'tx-http-503-01', status: 503, error: null };
    const fine = { ...gen.transaction(now), txid: 'tx-http-404-01', status: 404, error: null };
    await a.sendTransactions([failed, fine]);
    const list = await h.telemetry.listTransactions(h.pcode, { ...ALL, error: true });
    expect(list.transactions.map((t) => [t.txid, t.error])).toEqual([['tx-http-503-01', 'HTTP 503']]);
    expect((await h.telemetry.getProfile(h.pcode, 'tx-http-503-01'))!.transaction.error).toBe('HTTP 503');
    expect((await h.telemetry.getProfile(h.pcode, 'tx-http-404-01'))!.transaction.error).toBeNull();
  });

  it('rejects an invalid batch by seq, naming the field, and keeps the connection', async () => {
    const a = await agent();
    const gen = new TrafficGenerator({ seed: 3 });
    const good = gen.transaction(Date.now());
    const bad = { ...gen.transaction(Date.now()), steps: [{ kind: 'sql', start: 0, elapsed: 1, text: 'x'.repeat(70_000) }] };
    const err = await a.sendTransactions([good, bad as never]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as RejectedError).field).toBe('txs[1].steps[0].text');
    expect((err as RejectedError).message).not.toContain('xxxx');
    const tooMany = await a.sendTransactions(Array.from({ length: 1001 }, () => gen.transaction(Date.now()))).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(RejectedError);
    // Nothing of a rejected batch is stored; the same connection still works.
    expect((await h.telemetry.listTransactions(h.pcode, ALL)).total).toBe(0);
    expect((await a.sendTransactions([good])).stored).toBe(1);
  });

  it('stores counters, summed per agent across processes, and a resend does not double them', async () => {
    const a = await agent();
    const gen = new TrafficGenerator({ seed: 5 });
    const slot = Math.floor(Date.now() / 5000) * 5000 - 10_000;
    const w1 = new CounterWindow(101);
    const w2 = new CounterWindow(102);
    for (let i = 0; i < 30; i++) w1.add(gen.transaction(slot - i * 100));
    for (let i = 0; i < 10; i++) w2.add(gen.transaction(slot - i * 100));
    const counters = [w1.take(slot), w2.take(slot)];
    await a.sendCounters(counters);
    await a.sendCounters(counters);
    const series = await h.telemetry.counters(h.pcode, slot - 60_000, slot + 60_000);
    expect(series.step).toBe(5000);
    expect(series.points).toHaveLength(1);
    expect(series.points[0]).toMatchObject({ time: slot, agentId: a.info!.agentId, txCount: 40, tps: 8 });
    const latest = await h.telemetry.latestCounters(h.pcode);
    expect(latest.get(a.info!.agentId)?.txCount).toBe(40);
  });

  it('answers BUSY when the store is backed up, and the agent resends until ACK', async () => {
    const store = h.telemetry as { backlog?: () => number };
    const real = store.backlog!;
    store.backlog = () => 1e9;
    const a = await agent();
    const gen = new TrafficGenerator({ seed: 9 });
    const sent = a.sendTransactions([gen.transaction(Date.now())]);
    await expect.poll(() => a.busyCount, { timeout: 3000 }).toBeGreaterThan(0);
    expect((await h.telemetry.listTransactions(h.pcode, ALL)).total).toBe(0);
    store.backlog = real;
    expect((await sent).stored).toBe(1);
  });

  it('answers BUSY beyond the per-connection memory bound', async () => {
    await h.close();
    h = await startIngestHarness({ ingest: { maxConnectionBytes: 1 } });
    const c = await FrameClient.connect(h.port);
    closers.push(() => c.close());
    await c.hello(h.license);
    const gen = new TrafficGenerator({ seed: 9 });
    c.send(FrameType.TX_BATCH, { seq: 5, txs: [gen.transaction(Date.now())] });
    expect(await c.next()).toMatchObject({ type: FrameType.BUSY, body: { seq: 5 } });
    expect((await h.telemetry.listTransactions(h.pcode, ALL)).total).toBe(0);
  });
});
