import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { apiPaths } from '../../src/api/paths';
import { buildApp } from '../app';
import { dispatchDue } from '../alerts/channels/dispatcher';
import type { CycleResult } from '../alerts/evaluate';
import { loadConfig, type CollectorConfig } from '../config';
import type { AgentRow, MetaStore } from '../store/meta-store';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { openSqliteTelemetryStore } from '../store/sqlite/telemetry-store';
import type { CounterRecord, TelemetryStore } from '../store/telemetry-store';
import { ApiClient } from './api-client';
import { makeDataDir, setupAdmin, TEST_SETUP_TOKEN } from './test-collector';

/**
 * The console API on a real socket over real SQLite meta, telemetry and alert files, with a
 * clock the test moves. Alert timers are off: the test evaluates and sends with evaluate()
 * and dispatch(), so every step is deterministic.
 */
export interface AlertHarness {
  url: string;
  app: FastifyInstance;
  meta: MetaStore;
  telemetry: TelemetryStore;
  config: CollectorConfig;
  /** Signed in as the admin, owner of `pcode`. */
  admin: ApiClient;
  pcode: string;
  clock: { now: number };
  advance(ms: number): void;
  addAgent(name: string): Promise<AgentRow>;
  /** Writes one 5-second counter sample per agent at `time` (default now), with these values. */
  counters(agentIds: number[], values: Partial<CounterRecord>, time?: number): Promise<void>;
  /** Samples every 5 s over the last `seconds` up to now. */
  fill(agentIds: number[], values: Partial<CounterRecord>, seconds: number): Promise<void>;
  evaluate(): Promise<CycleResult | null>;
  /** Sends the notifications that are due now; returns how many were attempted. */
  dispatch(): Promise<number>;
  close(): Promise<void>;
}

export async function startAlertHarness(
  options: {
    configure?: (c: CollectorConfig) => CollectorConfig;
    telemetry?: (file: string) => TelemetryStore;
  } = {},
): Promise<AlertHarness> {
  const { dataDir, remove } = makeDataDir();
  const base = loadConfig({
    TAPSCOPE_DATA_DIR: dataDir,
    TAPSCOPE_HTTP_HOST: '127.0.0.1',
  });
  const config = (options.configure ?? ((c) => c))({
    ...base,
    alerts: { ...base.alerts, retryBaseMs: 1000 },
  });
  // Whole 5-second slot, so samples land where the test says.
  const clock = { now: Math.floor(Date.now() / 5000) * 5000 };
  const now = () => clock.now;
  const meta = openSqliteMetaStore(join(dataDir, 'meta.sqlite'), { now });
  const telemetry = (options.telemetry ?? ((f) => openSqliteTelemetryStore(f, { inlineWriter: true })))(
    join(dataDir, 'telemetry.sqlite'),
  );
  const app = await buildApp(
    { config, meta, telemetry },
    {
      logger: false,
      now,
      passwordLogN: 10,
      signInFailureDelayMs: 0,
      consoleDir: join(dataDir, 'no-console'),
      setupToken: TEST_SETUP_TOKEN,
      alertTimers: false,
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const admin = new ApiClient(url);
  await setupAdmin(admin);
  const created = await admin.post(apiPaths.projects, {
    name: 'Shop',
    region: 'local',
  });
  if (created.status !== 201) throw new Error(`project: ${created.status} ${JSON.stringify(created.body)}`);
  const pcode = created.body.project.pcode as string;
  let agents = 0;

  const counters = async (agentIds: number[], values: Partial<CounterRecord>, time = clock.now) => {
    await telemetry.writeCounters(
      agentIds.map((agentId) => ({
        pcode,
        time,
        agentId,
        pid: 100,
        tps: 0,
        txCount: 0,
        txError: 0,
        respTime: 0,
        activeBands: [0, 0, 0],
        cpu: 1,
        mem: 1,
        apdex: null,
        dropped: 0,
        ...values,
      })),
    );
  };

  return {
    url,
    app,
    meta,
    telemetry,
    config,
    admin,
    pcode,
    clock,
    advance: (ms) => (clock.now += ms),
    async addAgent(name) {
      agents++;
      return meta.upsertAgent(
        pcode,
        {
          objectName: name,
          appName: 'shop',
          processName: 'gunicorn',
          hostname: 'h',
          ip: `10.0.0.${agents}`,
          pid: 100 + agents,
          agentVersion: '1',
          pythonVersion: '3.11',
        },
        clock.now,
      );
    },
    counters,
    async fill(agentIds, values, seconds) {
      for (let t = clock.now - seconds * 1000 + 5000; t <= clock.now; t += 5000) await counters(agentIds, values, t);
    },
    evaluate: () => app.alerts.service.evaluateNow(),
    dispatch: () => dispatchDue(app.alerts.service.dispatch),
    async close() {
      await app.close();
      await telemetry.close();
      await meta.close();
      remove();
    },
  };
}
