import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAlertRuleRequest } from '../../src/api/alerts';
import { apiPaths } from '../../src/api/paths';
import { type AlertHarness, startAlertHarness } from '../testing/alert-harness';
import { makeTransaction } from '../testing/telemetry-records';

let h: AlertHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function createRule(harness: AlertHarness, rule: CreateAlertRuleRequest) {
  const res = await harness.admin.post(apiPaths.alertRules(harness.pcode), rule);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.rule as { id: number };
}

async function incidents(harness: AlertHarness, state: 'open' | 'resolved') {
  const res = await harness.admin.get(`${apiPaths.incidents(harness.pcode)}?state=${state}`);
  expect(res.status).toBe(200);
  return res.body.incidents as Array<{
    id: number;
    scopeKey: string;
    scopeLabel: string;
    peakValue: number;
    lastValue: number;
    unit: string;
    state: string;
  }>;
}

/** Evaluates and expects exactly `open` open incidents and `resolved` resolved ones. */
async function expectIncidents(harness: AlertHarness, open: number, resolved: number) {
  await harness.evaluate();
  expect((await incidents(harness, 'open')).length).toBe(open);
  expect((await incidents(harness, 'resolved')).length).toBe(resolved);
}

describe('each rule kind fires and resolves on stored counters and roll-ups', () => {
  it('response time (average) over a threshold, whole project', async () => {
    h = await startAlertHarness();
    const [a, b] = [await h.addAgent('shop-1'), await h.addAgent('shop-2')];
    await createRule(h, {
      name: 'Slow',
      kind: 'response_time',
      threshold: 500,
      windowSec: 60,
    });
    await h.fill([a.id, b.id], { txCount: 10, respTime: 100 }, 60);
    await expectIncidents(h, 0, 0);

    h.advance(60_000);
    await h.fill([a.id], { txCount: 10, respTime: 900 }, 60);
    await h.fill([b.id], { txCount: 10, respTime: 300 }, 60);
    await expectIncidents(h, 1, 0);
    const [open] = await incidents(h, 'open');
    expect(open).toMatchObject({
      scopeKey: 'project',
      scopeLabel: 'Whole project',
      unit: 'ms',
      lastValue: 600,
      peakValue: 600,
    });

    h.advance(60_000);
    await h.fill([a.id, b.id], { txCount: 10, respTime: 120 }, 60);
    await expectIncidents(h, 0, 1);
    expect((await incidents(h, 'resolved'))[0]).toMatchObject({
      state: 'resolved',
      peakValue: 600,
      lastValue: 120,
    });
  });

  it('response time p95 from the roll-up histograms, per agent', async () => {
    h = await startAlertHarness();
    const [a, b] = [await h.addAgent('shop-1'), await h.addAgent('shop-2')];
    await createRule(h, {
      name: 'p95',
      kind: 'response_time',
      stat: 'p95',
      threshold: 1000,
      windowSec: 120,
      scope: { type: 'agents', agentIds: [a.id, b.id] },
    });
    const txs = Array.from({ length: 40 }, (_, i) =>
      makeTransaction({
        txid: `t${i}`,
        pcode: h!.pcode,
        agentId: i % 2 ? a.id : b.id,
        end: h!.clock.now - 1000 * i,
        elapsed: i % 2 ? 2000 : 50,
      }),
    );
    await h.telemetry.writeTransactions(txs);
    await expectIncidents(h, 1, 0);
    const [open] = await incidents(h, 'open');
    expect(open!.scopeKey).toBe(`agent:${a.id}`);
    expect(open!.scopeLabel).toBe('shop-1');
    expect(open!.peakValue).toBeGreaterThan(1500);

    h.advance(5 * 60_000);
    await expectIncidents(h, 0, 1);
  });

  it('error count and error rate over a window', async () => {
    h = await startAlertHarness();
    const a = await h.addAgent('shop-1');
    await createRule(h, {
      name: 'Errors',
      kind: 'error_count',
      threshold: 10,
      windowSec: 60,
      severity: 'critical',
    });
    await createRule(h, {
      name: 'Error rate',
      kind: 'error_rate',
      threshold: 20,
      windowSec: 60,
    });
    await h.fill([a.id], { txCount: 10, txError: 1 }, 60); // 12 errors, 10 %
    await h.evaluate();
    const first = await incidents(h, 'open');
    expect(first.map((i) => i.unit)).toEqual(['count']);

    h.advance(60_000);
    await h.fill([a.id], { txCount: 10, txError: 5 }, 60); // 60 errors, 50 %
    await expectIncidents(h, 2, 0);

    h.advance(60_000);
    await h.fill([a.id], { txCount: 10, txError: 0 }, 60);
    await expectIncidents(h, 0, 2);
  });

  it('TPS below and above a threshold', async () => {
    h = await startAlertHarness();
    const a = await h.addAgent('shop-1');
    await createRule(h, {
      name: 'Traffic gone',
      kind: 'tps_below',
      threshold: 1,
      windowSec: 60,
    });
    await createRule(h, {
      name: 'Traffic spike',
      kind: 'tps_above',
      threshold: 15,
      windowSec: 60,
    });
    await h.fill([a.id], { txCount: 50 }, 60); // 10 tps
    await expectIncidents(h, 0, 0);

    h.advance(60_000);
    await h.fill([a.id], { txCount: 100 }, 60); // 20 tps
    await h.evaluate();
    expect((await incidents(h, 'open')).map((i) => i.lastValue)).toEqual([20]);

    h.advance(60_000); // nothing at all: 0 tps
    await h.evaluate();
    const open = await incidents(h, 'open');
    expect(open.map((i) => [i.unit, i.lastValue])).toEqual([['tps', 0]]);
    expect((await incidents(h, 'resolved')).length).toBe(1);
  });

  it('apdex below a threshold', async () => {
    h = await startAlertHarness();
    const a = await h.addAgent('shop-1');
    await createRule(h, {
      name: 'Apdex',
      kind: 'apdex_below',
      threshold: 0.8,
      windowSec: 60,
    });
    await h.fill([a.id], { txCount: 10, apdex: 0.95 }, 60);
    await expectIncidents(h, 0, 0);
    h.advance(60_000);
    await h.fill([a.id], { txCount: 10, apdex: 0.5 }, 60);
    await expectIncidents(h, 1, 0);
    h.advance(60_000);
    await h.fill([a.id], { txCount: 10, apdex: 0.9 }, 60);
    await expectIncidents(h, 0, 1);
  });

  it('active transactions in the ≥ 8 s and ≥ 3 s bands', async () => {
    h = await startAlertHarness();
    const a = await h.addAgent('shop-1');
    await createRule(h, {
      name: 'Stuck',
      kind: 'active_slow',
      minSeconds: 8,
      threshold: 2,
      windowSec: 60,
    });
    await createRule(h, {
      name: 'Slowish',
      kind: 'active_slow',
      minSeconds: 3,
      threshold: 4,
      windowSec: 60,
    });
    await h.fill([a.id], { txCount: 1, activeBands: [5, 3, 0] }, 60);
    await h.evaluate();
    expect((await incidents(h, 'open')).length).toBe(0);
    h.advance(5000);
    await h.counters([a.id], { txCount: 1, activeBands: [1, 2, 3] });
    await expectIncidents(h, 2, 0);
    h.advance(60_000);
    await h.fill([a.id], { txCount: 1, activeBands: [1, 0, 0] }, 60);
    await expectIncidents(h, 0, 2);
  });

  it('agent inactive for more than N seconds, and back', async () => {
    h = await startAlertHarness();
    const a = await h.addAgent('shop-1');
    await h.addAgent('shop-2');
    await createRule(h, {
      name: 'Gone',
      kind: 'agent_inactive',
      threshold: 60,
      scope: { type: 'agents', agentIds: [a.id] },
    });
    h.advance(30_000);
    await expectIncidents(h, 0, 0);
    h.advance(60_000);
    await expectIncidents(h, 1, 0);
    expect((await incidents(h, 'open'))[0]).toMatchObject({
      scopeKey: `agent:${a.id}`,
      scopeLabel: 'shop-1',
      unit: 's',
      lastValue: 90,
    });
    await h.meta.touchAgents([a.id], h.clock.now);
    await expectIncidents(h, 0, 1);
  });

  it('one transaction name: average response time from the statistics roll-ups', async () => {
    h = await startAlertHarness();
    const a = await h.addAgent('shop-1');
    await createRule(h, {
      name: 'Checkout',
      kind: 'response_time',
      threshold: 500,
      windowSec: 120,
      scope: { type: 'transaction', name: '/checkout' },
    });
    const at = (i: number) => h!.clock.now - 2000 * i;
    await h.telemetry.writeTransactions([
      ...Array.from({ length: 10 }, (_, i) =>
        makeTransaction({
          txid: `c${i}`,
          pcode: h!.pcode,
          agentId: a.id,
          url: '/checkout',
          end: at(i),
          elapsed: 800,
        }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        makeTransaction({
          txid: `o${i}`,
          pcode: h!.pcode,
          agentId: a.id,
          url: '/other',
          end: at(i),
          elapsed: 10,
        }),
      ),
    ]);
    await expectIncidents(h, 1, 0);
    expect((await incidents(h, 'open'))[0]).toMatchObject({
      scopeKey: 'tx:/checkout',
      scopeLabel: '/checkout',
      lastValue: 800,
    });
    h.advance(5 * 60_000);
    await expectIncidents(h, 0, 1);
  });
});
