import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { type CollectorProcess, startCollectorProcess } from '../scale-out/collector-process';
import { openClickHouseTelemetryStore } from '../store/clickhouse/telemetry-store';
import type { TelemetryStore } from '../store/telemetry-store';
import { type HttpReceiver, startHttpReceiver } from '../testing/alert-receivers';
import { ApiClient } from '../testing/api-client';
import { type ClickHouseServer, clickhouseAvailable, startClickHouseServer } from '../testing/clickhouse-server';
import { type PgServer, postgresAvailable, startPgServer } from '../testing/pg-server';
import { waitUntil } from '../testing/server-process';
import { ADMIN } from '../testing/test-collector';

/** Which collector said it evaluates (the lease holder), from its log. */
const leads = (c: CollectorProcess) =>
  c.output().lastIndexOf('this collector evaluates the rules') > c.output().lastIndexOf('another collector evaluates');

// Two collector processes on one PostgreSQL + ClickHouse; enabled when both servers are installed.
describe.runIf(postgresAvailable() && clickhouseAvailable())('alerts with two collectors on PostgreSQL + ClickHouse', () => {
  let pg: PgServer;
  let ch: ClickHouseServer;
  let dataDir: string;
  let receiver: HttpReceiver;
  let telemetry: TelemetryStore;
  const collectors: CollectorProcess[] = [];

  beforeAll(async () => {
    [pg, ch, receiver] = await Promise.all([startPgServer(), startClickHouseServer(), startHttpReceiver()]);
    dataDir = mkdtempSync(join(tmpdir(), 'tapscope-alerts-scale-'));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(collectors.map((c) => c.stop()));
    await telemetry?.close();
    await Promise.all([pg?.stop(), ch?.stop(), receiver?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('notifies each state change once; a killed evaluator is taken over when its lease runs out', async () => {
    const telemetryUrl = `${ch.url('tapscope')}?flushMs=100&settleMs=500`;
    const env = {
      TAPSCOPE_META_URL: await pg.createDatabase('tapscope'),
      TAPSCOPE_TELEMETRY_URL: telemetryUrl,
      TAPSCOPE_DATA_DIR: dataDir,
      // Cycles every 2 s; the lease keeps its default (15 s): a takeover within 15 + 2 s.
      TAPSCOPE_ALERTS_EVALUATE_MS: '2000',
    };
    const [a, b] = await Promise.all([startCollectorProcess(env), startCollectorProcess(env)]);
    collectors.push(a, b);

    const onA = new ApiClient(a.httpUrl);
    const token = /setup token: (\S+)/.exec(a.output())?.[1];
    expect((await onA.post(apiPaths.setup, { ...ADMIN, token })).status).toBe(201);
    const pcode = (await onA.post(apiPaths.projects, { name: 'Shop', region: 'local' })).body.project.pcode as string;
    const channel = await onA.post(apiPaths.alertChannels(pcode), {
      kind: 'webhook',
      name: 'Hook',
      url: `${receiver.url}/hook`,
      secret: '0123456789abcdef',
    });
    await onA.post(apiPaths.alertRules(pcode), {
      name: 'Slow',
      kind: 'response_time',
      threshold: 500,
      windowSec: 60,
      channelIds: [channel.body.channel.id],
    });

    // Slow counters for the last minute, written straight into the shared ClickHouse.
    telemetry = await openClickHouseTelemetryStore(telemetryUrl);
    const sample = (time: number, pid: number, txCount: number, respTime: number) => ({
      pcode,
      time,
      agentId: 1,
      pid,
      tps: txCount / 5,
      txCount,
      txError: 0,
      respTime,
      activeBands: [0, 0, 0] as [number, number, number],
      cpu: 1,
      mem: 1,
      apdex: null,
      dropped: 0,
    });
    const slot = (t: number) => Math.floor(t / 5000) * 5000;
    const now = slot(Date.now());
    await telemetry.writeCounters(Array.from({ length: 12 }, (_, i) => sample(now - i * 5000, 1, 10, 900)));

    const [firing] = await receiver.waitFor(1, 60_000);
    expect(JSON.parse(firing!.body)).toMatchObject({
      event: 'firing',
      incident: { value: 900 },
    });
    await waitUntil('one collector to say it leads', async () => leads(a) !== leads(b));
    const [leader, other] = leads(a) ? [a, b] : [b, a];

    // Several more cycles on both: still one incident, one notification.
    await new Promise((r) => setTimeout(r, 6000));
    expect(receiver.received.length).toBe(1);
    const onOther = new ApiClient(other.httpUrl);
    for (const [k, v] of onA.cookies) onOther.cookies.set(k, v);
    const open = await onOther.get(`${apiPaths.incidents(pcode)}?state=open`);
    expect(open.body.incidents.length).toBe(1);

    // The evaluator dies; the service recovers. The other collector takes over and resolves.
    await leader.kill();
    const killedAt = Date.now();
    const t = slot(Date.now());
    await telemetry.writeCounters(Array.from({ length: 14 }, (_, i) => sample(t - i * 5000, 2, 1000, 50)));
    const [, resolved] = await receiver.waitFor(2, 60_000);
    const takeoverSec = (Date.now() - killedAt) / 1000;
    console.log(`alerts: evaluation taken over and the incident resolved ${takeoverSec.toFixed(1)} s after the kill`);
    expect(JSON.parse(resolved!.body)).toMatchObject({
      event: 'resolved',
      incident: { state: 'resolved' },
    });
    expect(other.output()).toContain('this collector evaluates the rules');

    await new Promise((r) => setTimeout(r, 5000));
    expect(receiver.received.map((r) => JSON.parse(r.body).event)).toEqual(['firing', 'resolved']);
    const detail = await onOther.get(apiPaths.incident(pcode, open.body.incidents[0].id));
    expect(detail.body.incident.state).toBe('resolved');
    expect(detail.body.incident.notifications.map((n: { event: string }) => n.event)).toEqual(['resolved', 'firing']);
  }, 180_000);
});
