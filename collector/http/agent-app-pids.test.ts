import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentListSchema } from '../../src/api/agents';
import { apiPaths } from '../../src/api/paths';
import { ProtocolAgent } from '../demo/agent-client';
import { CounterWindow } from '../demo/generator';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { registerTelemetryRoutes } from './telemetry-routes';

/**
 * The app processes behind an agent (gunicorn's workers) reach the agent list from the pid of
 * each 5-second counter, through the real ingest and the SQLite meta store.
 */
describe('app pids in the agent list', () => {
  let h: IngestHarness;
  let app: FastifyInstance;
  let agent: ProtocolAgent;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapscope-app-pids-'));
    h = await startIngestHarness({ dir, meta: openSqliteMetaStore(join(dir, 'meta.sqlite')) });
    agent = new ProtocolAgent({ host: '127.0.0.1', port: h.port, license: h.license, hello: { objectName: 'shop-0-31-gunicorn', pid: 300 } });
    await agent.connect();
    app = Fastify();
    await registerTelemetryRoutes(app, { meta: h.meta, telemetry: h.telemetry });
    await app.ready();
  });
  afterAll(async () => {
    agent?.close();
    await app?.close();
    await h?.close();
  });

  const counter = (pid: number, time: number) => new CounterWindow(pid).take(time);
  const listed = async () => {
    const res = await app.inject({ method: 'GET', url: apiPaths.agents(h.pcode) });
    expect(res.statusCode).toBe(200);
    const a = agentListSchema.parse(res.json()).agents.find((x) => x.objectName === 'shop-0-31-gunicorn')!;
    return { pid: a.pid, appPids: a.appPids };
  };

  it('answers the pids of the processes that sent counters, beside the agent pid', async () => {
    const slot = Math.floor(Date.now() / 5000) * 5000;
    await agent.sendCounters([counter(313, slot - 40_000), counter(311, slot - 40_000), counter(312, slot - 40_000)]);
    await expect.poll(listed, { timeout: 10_000 }).toEqual({ pid: 300, appPids: [311, 312, 313] });
  });

  it('drops a process that stopped sending counters, and ignores a resent old one', async () => {
    const slot = Math.floor(Date.now() / 5000) * 5000;
    // 312 ended: its siblings' newer counters arrive without it; 399 is a backlog counter from long ago.
    await agent.sendCounters([counter(399, slot - 5 * 60_000), counter(311, slot), counter(313, slot)]);
    await expect.poll(listed, { timeout: 10_000 }).toEqual({ pid: 300, appPids: [311, 313] });
  });
});

