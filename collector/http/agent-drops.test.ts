import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentListSchema } from '../../src/api/agents';
import { counterSeriesSchema } from '../../src/api/counters';
import { apiPaths } from '../../src/api/paths';
import { transactionListSchema } from '../../src/api/transactions';
import { ProtocolAgent } from '../demo/agent-client';
import { CounterWindow, TrafficGenerator } from '../demo/generator';
import { type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { registerTelemetryRoutes } from './telemetry-routes';

const MIN = 60_000;

/**
 * Drops reach the agent list per agent (last hour, last day) and sit in their own slots; the
 * counters' txCount includes them, so recorded transactions are txCount minus dropped.
 */
describe('drops per agent', () => {
  let h: IngestHarness;
  let app: FastifyInstance;
  let now: number;
  let lossyId = 0;
  let cleanId = 0;
  let sentCount = 0;
  /** Slot end → drops of the lossy agent. */
  const drops = new Map<number, number>();

  beforeAll(async () => {
    h = await startIngestHarness();
    now = Date.now();
    const slot0 = Math.floor(now / 5000) * 5000;
    drops.set(slot0 - 3 * 3_600_000, 50); // within the day, not the hour
    drops.set(slot0 - 10 * MIN, 12);
    drops.set(slot0 - 10 * MIN + 5000, 8);
    const agents = [0, 1].map(
      (i) =>
        new ProtocolAgent({
          host: '127.0.0.1',
          port: h.port,
          license: h.license,
          hello: { objectName: `shop-0-2${i}-gunicorn`, pid: 200 + i },
        }),
    );
    for (const [i, a] of agents.entries()) {
      await a.connect();
      const gen = new TrafficGenerator({ seed: 70 + i, txidPrefix: `d${i}` });
      const window = new CounterWindow(200 + i);
      const slots = [...drops.keys(), ...Array.from({ length: 6 }, (_, k) => slot0 - k * 5000)];
      const counters = [];
      for (const slotEnd of slots) {
        const txs = Array.from({ length: 4 }, (_, k) => gen.transaction(slotEnd - 4000 + k * 500));
        for (const t of txs) window.add(t);
        sentCount += txs.length;
        await a.sendTransactions(txs);
        const c = window.take(slotEnd);
        const dropped = i === 0 ? (drops.get(slotEnd) ?? 0) : 0;
        // The tracer counts a dropped transaction in txCount although it is never sent.
        counters.push({ ...c, txCount: (c.txCount ?? 0) + dropped, dropped });
      }
      await a.sendCounters(counters);
    }
    lossyId = agents[0]!.info!.agentId;
    cleanId = agents[1]!.info!.agentId;
    for (const a of agents) a.close();
    app = Fastify();
    await registerTelemetryRoutes(app, { meta: h.meta, telemetry: h.telemetry, now: () => now });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const get = (url: string, query: Record<string, number> = {}) =>
    app.inject({ method: 'GET', url, query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });

  it('lists each agent with its drops of the last hour and the last day', async () => {
    const res = await get(apiPaths.agents(h.pcode));
    expect(res.statusCode).toBe(200);
    const { agents } = agentListSchema.parse(res.json());
    const byId = new Map(agents.map((a) => [a.id, a.dropped]));
    expect(byId.get(lossyId)).toEqual({ hour: 20, day: 70 });
    expect(byId.get(cleanId)).toEqual({ hour: 0, day: 0 });
  });

  it('keeps drops in their own slots, and txCount minus dropped is what was stored', async () => {
    const from = now - 15 * MIN;
    const raw = counterSeriesSchema.parse((await get(apiPaths.counters(h.pcode), { from, to: now })).json());
    expect(raw.agents.map((a) => [a.agentId, a.drops])).toEqual([
      [
        lossyId,
        [
          [now - (now % 5000) - 10 * MIN, 12],
          [now - (now % 5000) - 10 * MIN + 5000, 8],
        ],
      ],
      [cleanId, []],
    ]);
    const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
    const recorded = sum(raw.total.txCount) - sum(raw.total.dropped);
    const list = transactionListSchema.parse(
      (await get(apiPaths.transactions(h.pcode), { from, to: now, limit: 1 })).json(),
    );
    expect(list.total).toBe(recorded);
    expect(sum(raw.total.txCount)).toBe(recorded + 20);
    expect(sentCount).toBe(2 * 9 * 4);
  });
});
