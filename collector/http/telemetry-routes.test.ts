import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentListSchema } from '../../src/api/agents';
import { counterSeriesSchema } from '../../src/api/counters';
import { apiErrorSchema } from '../../src/api/errors';
import { decodeHitmap, HITMAP_CONTENT_TYPE } from '../../src/api/hitmap';
import { apiPaths } from '../../src/api/paths';
import { statTableSchema } from '../../src/api/stats';
import { transactionListSchema, transactionProfileSchema } from '../../src/api/transactions';
import { ProtocolAgent } from '../demo/agent-client';
import { type AgentTransaction, CounterWindow, TrafficGenerator } from '../demo/generator';
import { type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { registerTelemetryRoutes } from './telemetry-routes';

const MIN = 60_000;

/** A copy of the response bytes as the ArrayBuffer the console's fetch would give. */
const bytesOf = (b: Buffer): ArrayBuffer => new Uint8Array(b).buffer;

describe('telemetry API routes', () => {
  let h: IngestHarness;
  let app: FastifyInstance;
  let now: number;
  const sent: AgentTransaction[] = [];
  let live: ProtocolAgent;
  let liveId = 0;
  let goneId = 0;

  beforeAll(async () => {
    h = await startIngestHarness();
    now = Date.now();
    // Two agents report 10 minutes of traffic and counters through the real protocol; one stays.
    const agents = [0, 1].map(
      (i) => new ProtocolAgent({ host: '127.0.0.1', port: h.port, license: h.license, hello: { objectName: `shop-0-1${i}-gunicorn`, pid: 100 + i } }),
    );
    for (const [i, a] of agents.entries()) {
      await a.connect();
      const gen = new TrafficGenerator({ seed: 40 + i, txidPrefix: `r${i}` });
      const window = new CounterWindow(100 + i);
      const counters = [];
      for (let slot = 0; slot < 120; slot++) {
        const slotEnd = Math.floor(now / 5000) * 5000 - (119 - slot) * 5000;
        const txs = Array.from({ length: 10 }, (_, k) => gen.transaction(slotEnd - 4900 + k * 490));
        for (const t of txs) window.add(t);
        sent.push(...txs);
        await a.sendTransactions(txs);
        counters.push(window.take(slotEnd));
      }
      await a.sendCounters(counters);
    }
    [live] = agents as [ProtocolAgent, ProtocolAgent];
    liveId = agents[0]!.info!.agentId;
    goneId = agents[1]!.info!.agentId;
    agents[1]!.close();
    live.heartbeat();
    for (let i = 0; i < 100; i++) {
      if ((await h.meta.listAgents(h.pcode)).find((x) => x.id === goneId)?.connectedAt === null) break;
      await new Promise((r) => setTimeout(r, 30));
    }

    app = Fastify();
    await registerTelemetryRoutes(app, { meta: h.meta, telemetry: h.telemetry, now: () => Date.now() });
    await app.ready();
  });
  afterAll(async () => {
    live?.close();
    await app?.close();
    await h?.close();
  });

  const get = (url: string, query: Record<string, string | number> = {}) =>
    app.inject({ method: 'GET', url, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });

  it('lists agents with status and their latest counters', async () => {
    const res = await get(apiPaths.agents(h.pcode));
    expect(res.statusCode).toBe(200);
    const { agents } = agentListSchema.parse(res.json());
    expect(agents.map((a) => [a.objectName, a.status])).toEqual([
      ['shop-0-10-gunicorn', 'active'],
      ['shop-0-11-gunicorn', 'inactive'],
    ]);
    const active = agents[0]!;
    expect(active.id).toBe(liveId);
    expect(active.tps).toBeGreaterThan(0);
    expect(active.respTime).toBeGreaterThan(0);
    expect(agents[1]!.tps).toBeNull();
    expect(Date.parse(active.statusSince)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(agents[1]!.statusSince)).toBe(Date.parse(agents[1]!.lastSeen));
  });

  it('serves the hitmap as columns, then only newer points by cursor', async () => {
    const res = await get(apiPaths.hitmap(h.pcode), { from: now - 11 * MIN, to: now + MIN });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(HITMAP_CONTENT_TYPE);
    const body = res.rawPayload;
    const cols = decodeHitmap(bytesOf(body));
    expect(cols.end.length).toBe(sent.length);
    const errors = sent.filter((t) => t.error || (t.status ?? 0) >= 500).length;
    expect(cols.flags.reduce((s, f) => s + f, 0)).toBe(errors);
    expect(new Set(cols.agent)).toEqual(new Set([liveId, goneId]));
    const maxElapsed = Math.max(...sent.map((t) => t.elapsed));
    expect(Math.max(...cols.elapsed)).toBe(Math.round(maxElapsed));

    const again = await get(apiPaths.hitmap(h.pcode), { from: now - 11 * MIN, to: now + MIN, cursor: cols.cursor });
    const none = decodeHitmap(bytesOf(again.rawPayload));
    expect(none.end.length).toBe(0);
    const fresh = new TrafficGenerator({ seed: 99, txidPrefix: 'new' }).transaction(Date.now());
    await live.sendTransactions([fresh]);
    const inc = await get(apiPaths.hitmap(h.pcode), { from: now - 11 * MIN, to: Date.now() + MIN, cursor: cols.cursor });
    const one = decodeHitmap(bytesOf(inc.rawPayload));
    expect(one.end.length).toBe(1);
    expect(one.elapsed[0]).toBe(Math.round(fresh.elapsed));
    expect(one.cursor).toBeGreaterThan(cols.cursor);
    sent.push(fresh);
  });

  it('lists the transactions of a rectangle with the true total', async () => {
    const rect = { from: now - 6 * MIN, to: now, minElapsed: 20, maxElapsed: 500 };
    const expected = sent.filter((t) => t.end >= rect.from && t.end <= rect.to && t.elapsed >= 20 && t.elapsed <= 500);
    const res = await get(apiPaths.transactions(h.pcode), { ...rect, limit: 10, sort: 'elapsed' });
    expect(res.statusCode).toBe(200);
    const list = transactionListSchema.parse(res.json());
    expect(list.total).toBe(expected.length);
    expect(list.transactions).toHaveLength(10);
    const slowest = [...expected].sort((a, b) => b.elapsed - a.elapsed).slice(0, 10).map((t) => t.txid);
    expect(list.transactions.map((t) => t.txid)).toEqual(slowest);

    const errors = transactionListSchema.parse((await get(apiPaths.transactions(h.pcode), { ...rect, error: 'true' })).json());
    expect(errors.total).toBe(expected.filter((t) => t.error || (t.status ?? 0) >= 500).length);
    expect(errors.transactions.every((t) => t.error !== null)).toBe(true);
    const byAgent = transactionListSchema.parse((await get(apiPaths.transactions(h.pcode), { ...rect, agent: goneId })).json());
    expect(byAgent.transactions.every((t) => t.agentId === goneId && t.objectName === 'shop-0-11-gunicorn')).toBe(true);
  });

  it('answers 400 naming the field for a bad query', async () => {
    const cases: Array<[string, Record<string, string | number>, string]> = [
      [apiPaths.transactions(h.pcode), { to: now }, 'from'],
      [apiPaths.transactions(h.pcode), { from: 'yesterday', to: now }, 'from'],
      [apiPaths.transactions(h.pcode), { from: now, to: now - 1 }, 'to'],
      [apiPaths.transactions(h.pcode), { from: 0, to: now, limit: 99999 }, 'limit'],
      [apiPaths.hitmap(h.pcode), { from: 0, to: now, error: 'maybe' }, 'error'],
      [apiPaths.counters(h.pcode), { from: 0 }, 'to'],
      [apiPaths.counters(h.pcode), { from: 0, to: now, agent: 'web-1' }, 'agent'],
      [apiPaths.stats(h.pcode, 'sql'), { from: 0, to: 40 * 86_400_000 }, 'from'],
      [apiPaths.stats(h.pcode, 'bogus'), { from: 0, to: now }, 'kind'],
    ];
    for (const [url, query, field] of cases) {
      const res = await get(url, query);
      expect(res.statusCode, `${url} ${JSON.stringify(query)}`).toBe(400);
      expect(apiErrorSchema.parse(res.json()).error).toMatchObject({ code: 'validation', field });
    }
  });

  it('serves a profile, and 404 for an unknown txid', async () => {
    const tx = sent.find((t) => t.steps?.some((s) => s.kind === 'sql') && t.error)!;
    const res = await get(apiPaths.transaction(h.pcode, tx.txid));
    expect(res.statusCode).toBe(200);
    const profile = transactionProfileSchema.parse(res.json());
    expect(profile.transaction).toMatchObject({ txid: tx.txid, url: tx.url, errorMessage: tx.error!.message, elapsed: tx.elapsed });
    expect(profile.steps.map((s) => s.kind)).toEqual(tx.steps!.map((s) => s.kind));
    const missing = await get(apiPaths.transaction(h.pcode, 'no-such-txid'));
    expect(missing.statusCode).toBe(404);
    expect(apiErrorSchema.parse(missing.json()).error.code).toBe('not_found');
  });

  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

  it('serves counters raw for short ranges and per minute for long ones', async () => {
    const raw = counterSeriesSchema.parse((await get(apiPaths.counters(h.pcode), { from: now - 11 * MIN, to: now })).json());
    expect(raw.step).toBe(5000);
    expect(raw.agents.map((a) => a.agentId).sort()).toEqual([liveId, goneId].sort());
    expect(raw.agents.find((a) => a.agentId === liveId)!.cpu.filter((v) => v !== null)).toHaveLength(120);
    expect(sum(raw.total.txCount)).toBe(2400);
    const day = counterSeriesSchema.parse((await get(apiPaths.counters(h.pcode), { from: now - 86_400_000, to: now, agent: liveId })).json());
    expect(day.step).toBe(120_000); // a day in at most 1000 buckets
    expect(day.agents.map((a) => a.agentId)).toEqual([liveId]);
    expect(sum(day.total.txCount)).toBe(1200);
  });

  it('answers counters at the asked resolution, summed over the chosen agents', async () => {
    const from = now - 11 * MIN;
    const ask = async (query: Record<string, string | number>) => {
      const res = await get(apiPaths.counters(h.pcode), { from, to: now, ...query });
      expect(res.statusCode, JSON.stringify(query)).toBe(200);
      return counterSeriesSchema.parse(res.json());
    };
    const raw = await ask({});
    const chart = await ask({ points: 12 }); // 11 minutes in at most 12 buckets: whole minutes
    expect(chart.step).toBe(MIN);
    expect(chart.time.length).toBeLessThanOrEqual(12);
    expect(chart.time.every((t) => t % MIN === 0)).toBe(true);
    expect(sum(chart.total.txCount)).toBe(sum(raw.total.txCount));
    const slots = await ask({ step: 30_000 }); // from the raw samples, 6 slots per bucket
    expect(slots.step).toBe(30_000);
    expect(sum(slots.total.txCount)).toBe(sum(raw.total.txCount));
    // Response time weighted by transactions: the bucket's mean is the raw slots' weighted mean.
    const t = slots.time.find((b) => b >= now - 9 * MIN)!;
    const inBucket = raw.time.map((x, i) => [x, i] as const).filter(([x]) => x >= t && x < t + 30_000);
    const tx = sum(inBucket.map(([, i]) => raw.total.txCount[i]!));
    const weighted = sum(inBucket.map(([, i]) => raw.total.txCount[i]! * raw.total.respTime[i]!)) / tx;
    expect(slots.total.respTime[slots.time.indexOf(t)]).toBeCloseTo(weighted, 1);
    // Several agents: the total is theirs; one agent: the store filters it.
    const both = await ask({ step: 60_000, agent: `${liveId},${goneId}` });
    expect(both.total).toEqual((await ask({ step: 60_000 })).total);
    const one = await ask({ step: 60_000, agent: String(goneId) });
    expect(one.agents.map((a) => a.agentId)).toEqual([goneId]);
    expect(sum(one.total.txCount) + sum((await ask({ step: 60_000, agent: String(liveId) })).total.txCount)).toBe(sum(both.total.txCount));
  });

  it('refuses a counters step or point count it cannot answer, saying why', async () => {
    const cases: Array<[Record<string, string | number>, string]> = [
      [{ step: 7000 }, 'step: must be a multiple of 5000 ms (the agents report every 5 s)'],
      [{ step: 1000 }, 'step: must be at least 5000 ms (the agents report every 5 s)'],
      [{ step: 90_000 }, 'step: must be whole minutes (a multiple of 60000 ms) from a minute up'],
      [{ step: 'soon' }, 'step: must be a number of milliseconds'],
      [{ step: 5000, from: now - 86_400_000 }, 'step: gives more than 1000 points over this range: use 120000 ms or more'],
      [{ step: 60_000, points: 100 }, 'step: give step or points, not both'],
      [{ points: 0 }, 'points: must be at least 1'],
      [{ points: 5000 }, 'points: must be at most 1000'],
    ];
    for (const [query, message] of cases) {
      const res = await get(apiPaths.counters(h.pcode), { from: now - 11 * MIN, to: now, ...query });
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(apiErrorSchema.parse(res.json()).error).toMatchObject({ code: 'validation', message });
    }
  });

  it('serves statistics from roll-ups with sane percentiles', async () => {
    for (const kind of ['transactions', 'sql', 'httpc', 'errors'] as const) {
      const res = await get(apiPaths.stats(h.pcode, kind), { from: now - 15 * MIN, to: now + MIN });
      expect(res.statusCode).toBe(200);
      const table = statTableSchema.parse(res.json());
      expect(table.kind).toBe(kind);
      expect(table.rows.length).toBeGreaterThan(0);
      for (const r of table.rows) {
        expect(r.p50).toBeLessThanOrEqual(r.p95);
        expect(r.p95).toBeLessThanOrEqual(r.p99);
        expect(r.p99).toBeLessThanOrEqual(r.max);
        expect(r.avg).toBeCloseTo(r.total / r.count, 6);
      }
    }
    const urls = statTableSchema.parse((await get(apiPaths.stats(h.pcode, 'transactions'), { from: now - 15 * MIN, to: now + MIN })).json());
    expect(urls.rows.reduce((s, r) => s + r.count, 0)).toBe(sent.length);
    const products = urls.rows.find((r) => r.key === '/products')!;
    const exact = sent.filter((t) => t.url === '/products').map((t) => t.elapsed).sort((a, b) => a - b);
    expect(products.count).toBe(exact.length);
    const median = exact[Math.floor(exact.length / 2)]!;
    expect(products.p50).toBeGreaterThan(median * 0.8);
    expect(products.p50).toBeLessThan(median * 1.25);
    const errors = statTableSchema.parse((await get(apiPaths.stats(h.pcode, 'errors'), { from: now - 15 * MIN, to: now + MIN })).json());
    for (const e of errors.rows) {
      expect(e.exampleTxid).toBeDefined();
      expect(sent.find((t) => t.txid === e.exampleTxid)?.url).toBe(e.url);
    }
  });
});
