import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterSeries } from '../../src/api/counters';
import { decodeHitmap } from '../../src/api/hitmap';
import { apiPaths } from '../../src/api/paths';
import { TrafficGenerator } from '../demo/generator';
import { FrameType } from '../ingest/frames';
import { ApiClient } from '../testing/api-client';
import { type ClickHouseServer, clickhouseAvailable, startClickHouseServer } from '../testing/clickhouse-server';
import { type PgServer, postgresAvailable, startPgServer } from '../testing/pg-server';
import { ADMIN } from '../testing/test-collector';
import { type CollectorProcess, startCollectorProcess } from './collector-process';
import { FailoverAgent } from './failover-agent';

const AGENTS = 6;
const BATCHES = 40;
const BATCH = 20;
const COUNTERS = 5;
const TOTAL = AGENTS * BATCHES * BATCH;

/** The answers of one collector's API that must not depend on which collector answers. */
async function picture(client: ApiClient, pcode: string, from: number, to: number) {
  const q = `?from=${from}&to=${to}`;
  const [agents, list, stats, counters] = await Promise.all([
    client.get(apiPaths.agents(pcode)),
    client.get(`${apiPaths.transactions(pcode)}${q}&limit=5000`),
    client.get(`${apiPaths.stats(pcode, 'transactions')}${q}`),
    client.get(`${apiPaths.counters(pcode)}${q}`),
  ]);
  const hit = await fetch(`${client.baseUrl}${apiPaths.hitmap(pcode)}${q}`, {
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  const cols = decodeHitmap(await hit.arrayBuffer());
  return {
    agents: (agents.body.agents as Array<{ id: number; objectName: string; status: string }>).map((a) => ({
      id: a.id,
      objectName: a.objectName,
      status: a.status,
    })),
    total: list.body.total as number,
    txids: (list.body.transactions as Array<{ txid: string }>).map((t) => t.txid).sort(),
    stats: stats.body.rows as Array<{ key: string; count: number; p95: number; total: number }>,
    counters: counters.body as CounterSeries,
    hitmapPoints: cols.end.length,
  };
}

// Two collector processes on one PostgreSQL + ClickHouse; enabled when both servers are installed.
describe.runIf(postgresAvailable() && clickhouseAvailable())('two collectors on PostgreSQL + ClickHouse', () => {
  let pg: PgServer;
  let ch: ClickHouseServer;
  let dataDir: string;
  const collectors: CollectorProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [pg, ch] = await Promise.all([startPgServer(), startClickHouseServer()]);
    dataDir = mkdtempSync(join(tmpdir(), 'tapscope-scale-out-'));
    env = {
      TAPSCOPE_META_URL: await pg.createDatabase('tapscope'),
      // Short flushes keep the test quick; settleMs covers the other collector's inserts in flight.
      TAPSCOPE_TELEMETRY_URL: `${ch.url('tapscope')}?flushMs=100&settleMs=500`,
      TAPSCOPE_DATA_DIR: dataDir,
    };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(collectors.map((c) => c.stop()));
    await Promise.all([pg?.stop(), ch?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged transaction when one dies mid-stream, and both answer the same', async () => {
    const [a, b] = await Promise.all([startCollectorProcess(env), startCollectorProcess(env)]);
    collectors.push(a, b);

    // Set up on A, then use the same session cookie on B: sessions live in PostgreSQL.
    const onA = new ApiClient(a.httpUrl);
    const token = /setup token: (\S+)/.exec(a.output())?.[1];
    expect((await onA.post(apiPaths.setup, { ...ADMIN, token })).status).toBe(201);
    const project = await onA.post(apiPaths.projects, { name: 'Shop', region: 'local' });
    expect(project.status).toBe(201);
    const pcode = project.body.project.pcode as string;
    const onB = new ApiClient(b.httpUrl);
    for (const [k, v] of onA.cookies) onB.cookies.set(k, v);
    const license = await onB.post(apiPaths.licenses(pcode), { label: 'scale-out' });
    expect(license.status).toBe(201);

    // Half the agents prefer A, half B; each lists both, as whatap.server.host does.
    const from = Date.now() - 60_000;
    const agents = Array.from({ length: AGENTS }, (_, i) => {
      const ports = i < AGENTS / 2 ? [a.ingestPort, b.ingestPort] : [b.ingestPort, a.ingestPort];
      return new FailoverAgent({ ports, license: license.body.key as string, objectName: `shop-${i}`, pid: 100 + i });
    });
    await Promise.all(agents.map((g) => g.start()));
    expect(agents.map((g) => g.connections[0])).toEqual([...Array(3).fill(a.ingestPort), ...Array(3).fill(b.ingestPort)]);

    // The agents on A stop half-way until A is dead, so that it dies mid-stream however slowly it acknowledges.
    let resumeOnA!: () => void;
    const aKilled = new Promise<void>((resolve) => (resumeOnA = resolve));
    const slot0 = Math.floor(Date.now() / 5000) * 5000;
    const acked = agents.map(async (agent, i) => {
      const gen = new TrafficGenerator({ seed: i + 1, txidPrefix: `a${i}x` });
      const batches: Array<Promise<void>> = [];
      for (let n = 0; n < BATCHES; n++) {
        if (i < AGENTS / 2 && n === BATCHES / 2) await aKilled;
        const end = Date.now();
        batches.push(agent.send(FrameType.TX_BATCH, 'txs', Array.from({ length: BATCH }, () => gen.transaction(end))));
        if (n % 5 === 0 && n / 5 < COUNTERS)
          batches.push(agent.send(FrameType.COUNTERS, 'counters', [{ time: slot0 + (n / 5) * 5000, pid: 100 + i, tps: 4, txCount: 20, respTime: 50, apdex: 1 }]));
        await new Promise((r) => setTimeout(r, 50));
      }
      await Promise.all(batches);
    });

    // Kill A mid-stream: once it has acknowledged some batches, with more of its agents' batches to come.
    const ackedOnA = () => agents.reduce((n, g) => n + (g.ackedBy.get(a.ingestPort)?.length ?? 0), 0);
    while (ackedOnA() < 2 * BATCH) await new Promise((r) => setTimeout(r, 5));
    await a.kill();
    resumeOnA();
    const ackedByA = agents.flatMap((g) => g.ackedBy.get(a.ingestPort) ?? []);

    await Promise.race([Promise.all(acked), new Promise((_, reject) => setTimeout(() => reject(new Error('batches never acknowledged')), 40_000))]);
    expect(agents.map((g) => g.inflight)).toEqual(Array(AGENTS).fill(0));
    // The agents that were on A moved to B.
    expect(agents.slice(0, 3).map((g) => g.connections)).toEqual(Array(3).fill([a.ingestPort, b.ingestPort]));

    // A comes back (a restart): both collectors must now show one and the same picture.
    const a2 = await startCollectorProcess(env);
    collectors.push(a2);
    const onA2 = new ApiClient(a2.httpUrl);
    for (const [k, v] of onA.cookies) onA2.cookies.set(k, v);
    await new Promise((r) => setTimeout(r, 700)); // past settleMs and the agents' last-seen flush
    const to = Date.now() + 60_000;
    const [fromB, fromA2] = await Promise.all([picture(onB, pcode, from, to), picture(onA2, pcode, from, to)]);

    expect(fromB.total).toBe(TOTAL);
    expect(new Set(fromB.txids).size).toBe(TOTAL);
    for (const txid of ackedByA) expect(fromB.txids).toContain(txid);
    expect(fromB.stats.reduce((s, r) => s + r.count, 0)).toBe(TOTAL);
    expect(fromB.hitmapPoints).toBe(TOTAL);
    expect(fromB.agents).toHaveLength(AGENTS);
    expect(fromB.agents.every((x) => x.status === 'active')).toBe(true);
    // Every sample, one per agent and 5-second bucket.
    expect(fromB.counters.total.agents.reduce((sum, n) => sum + n, 0)).toBe(AGENTS * COUNTERS);
    expect(fromA2).toEqual(fromB);

    const profile = (c: ApiClient) => c.get(apiPaths.transaction(pcode, ackedByA[0]!));
    const [pB, pA2] = await Promise.all([profile(onB), profile(onA2)]);
    expect(pB.status).toBe(200);
    expect(pA2.body).toEqual(pB.body);
    agents.forEach((g) => g.close());
  }, 120_000);
});
