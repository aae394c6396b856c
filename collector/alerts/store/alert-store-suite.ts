import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertStore, NewIncident, RuleSettings } from './alert-store';

/** One engine under test: a fresh, empty store per test, and a second connection to the same data. */
export interface AlertStoreEngine {
  name: string;
  create(): Promise<{ open(): Promise<AlertStore> }>;
}

const settings = (over: Partial<RuleSettings> = {}): RuleSettings => ({
  name: 'Slow',
  kind: 'response_time',
  stat: 'avg',
  minSeconds: 8,
  scope: { type: 'project' },
  threshold: 500,
  windowSec: 60,
  forSec: 0,
  severity: 'warning',
  channelIds: [],
  repeat: '0',
  enabled: true,
  ...over,
});

const T = 1_800_000_000_000;

/** The alert store's contract, the same on every engine. */
export function describeAlertStoreConformance(engine: AlertStoreEngine): void {
  describe(`alert store conformance: ${engine.name}`, () => {
    let store: AlertStore;
    let second: AlertStore;
    beforeEach(async () => {
      const db = await engine.create();
      store = await db.open();
      second = await db.open();
    });
    afterEach(async () => {
      await store.close();
      await second.close();
    });

    const incident = async (ruleId: number, scopeKey = 'project', over: Partial<NewIncident> = {}) => {
      const rule = (await store.getRule('p1', ruleId))!;
      return store.openIncident({
        pcode: 'p1',
        ruleId,
        ruleName: rule.name,
        kind: rule.kind,
        severity: rule.severity,
        scopeKey,
        scopeLabel: 'Whole project',
        startedAt: T,
        peakValue: 600,
        lastValue: 600,
        threshold: 500,
        unit: 'ms',
        rule,
        ...over,
      });
    };

    it('stores rules per project; updates and deletes them', async () => {
      const a = await store.createRule(
        'p1',
        settings({
          scope: { type: 'agents', agentIds: [3, 4] },
          channelIds: [7],
        }),
        'lee',
        T,
      );
      await store.createRule('p1', settings({ name: 'Off', enabled: false }), 'lee', T);
      await store.createRule('p2', settings({ name: 'Other' }), 'kim', T);
      expect(await store.getRule('p1', a.id)).toEqual({
        ...settings({
          scope: { type: 'agents', agentIds: [3, 4] },
          channelIds: [7],
        }),
        id: a.id,
        pcode: 'p1',
        createdAt: T,
        createdBy: 'lee',
        updatedAt: T,
      });
      expect(await store.getRule('p2', a.id)).toBeNull();
      expect((await store.listRules('p1')).map((r) => r.name)).toEqual(['Slow', 'Off']);
      expect((await second.listEnabledRules()).map((r) => r.name).sort()).toEqual(['Other', 'Slow']);
      const updated = await store.updateRule('p1', a.id, settings({ threshold: 800, name: 'Slower' }), T + 1);
      expect(updated).toMatchObject({
        threshold: 800,
        name: 'Slower',
        updatedAt: T + 1,
        createdAt: T,
      });
      expect(await store.updateRule('p2', a.id, settings(), T)).toBeNull();
      // Two changes in the same millisecond are still two versions.
      expect((await store.updateRule('p1', a.id, settings({ threshold: 900 }), T + 1))!.updatedAt).toBe(T + 2);
      await store.saveStates([
        {
          ruleId: a.id,
          scopeKey: 'project',
          state: 'pending',
          since: T,
          value: 1,
          evaluatedAt: T,
          incidentId: null,
          nextNotifyAt: null,
          notified: 0,
        },
      ]);
      expect(await store.deleteRule('p1', a.id)).toBe(true);
      expect(await store.deleteRule('p1', a.id)).toBe(false);
      expect(await store.listStates([a.id])).toEqual([]);
    });

    it('saves, updates and forgets per-scope states', async () => {
      const r = await store.createRule('p1', settings(), 'lee', T);
      const base = {
        ruleId: r.id,
        state: 'pending' as const,
        since: T,
        value: 700.5,
        evaluatedAt: T,
        incidentId: null,
        nextNotifyAt: null,
        notified: 0,
      };
      await store.saveStates([
        { ...base, scopeKey: 'agent:1' },
        { ...base, scopeKey: 'agent:2' },
      ]);
      const firing = { ...base, scopeKey: 'agent:1', state: 'firing' as const, incidentId: 9, nextNotifyAt: T + 60_000, notified: 1 };
      await store.saveStates([firing]);
      const states = (await second.listStates([r.id])).sort((x, y) => x.scopeKey.localeCompare(y.scopeKey));
      expect(states).toEqual([firing, { ...base, scopeKey: 'agent:2' }]);
      await store.deleteStates([{ ruleId: r.id, scopeKey: 'agent:2' }]);
      expect((await store.listStates([r.id])).map((s) => s.scopeKey)).toEqual(['agent:1']);
    });

    it('keeps one open incident per rule and scope, tracks the peak, resolves, and counts open ones', async () => {
      const r = await store.createRule('p1', settings({ severity: 'critical' }), 'lee', T);
      const below = await store.createRule('p1', settings({ kind: 'tps_below', severity: 'info' }), 'lee', T);
      const first = await incident(r.id);
      expect(first).toMatchObject({
        state: 'open',
        peakValue: 600,
        scopeKey: 'project',
        rule: { id: r.id, name: 'Slow' },
      });
      // A second collector opening the same one gets nothing.
      expect(await incident(r.id)).toBeNull();
      await store.updateIncidentValues([{ id: first!.id, lastValue: 900, below: false }]);
      await store.updateIncidentValues([{ id: first!.id, lastValue: 700, below: false }]);
      expect(await store.getIncident('p1', first!.id)).toMatchObject({
        peakValue: 900,
        lastValue: 700,
      });
      const low = await incident(below.id, 'project', {
        peakValue: 5,
        lastValue: 5,
      });
      await store.updateIncidentValues([
        { id: low!.id, lastValue: 2, below: true },
        { id: first!.id, lastValue: 650, below: false },
      ]);
      await store.updateIncidentValues([{ id: low!.id, lastValue: 4, below: true }]);
      expect(await store.getIncident('p1', low!.id)).toMatchObject({
        peakValue: 2,
        lastValue: 4,
      });
      expect(await store.getIncident('p1', first!.id)).toMatchObject({
        peakValue: 900,
        lastValue: 650,
      });

      expect(await store.openIncidentSummary(['p1', 'p2'])).toEqual([{ pcode: 'p1', open: 2, worst: 'critical' }]);
      const resolved = await store.resolveIncident(first!.id, T + 5, 100);
      expect(resolved).toMatchObject({
        state: 'resolved',
        resolvedAt: T + 5,
        lastValue: 100,
        peakValue: 900,
      });
      expect(await second.resolveIncident(first!.id, T + 6, 1)).toBeNull();
      expect(await incident(r.id)).not.toBeNull();
      expect((await store.listIncidents('p1', { state: 'open', limit: 10 })).length).toBe(2);
      expect((await store.listIncidents('p1', { state: 'resolved', limit: 10 })).map((i) => i.id)).toEqual([first!.id]);
      expect((await store.listIncidents('p1', { severity: 'info', limit: 10 })).map((i) => i.ruleId)).toEqual([below.id]);

      expect(await store.acknowledgeIncident('p1', low!.id, 'lee', T + 7)).toMatchObject({
        acknowledgedBy: 'lee',
        acknowledgedAt: T + 7,
      });
      expect(await store.acknowledgeIncident('p1', low!.id, 'kim', T + 8)).toMatchObject({ acknowledgedBy: 'lee' });
      expect(await store.acknowledgeIncident('p2', low!.id, 'kim', T + 8)).toBeNull();
    });

    it('stores channels with their settings; deleting one drops its queued notifications', async () => {
      const c = await store.createChannel({
        pcode: 'p1',
        name: 'Hook',
        kind: 'webhook',
        enabled: true,
        config: { url: 'https://x.test/h', secret: 's'.repeat(16) },
        createdAt: T,
        createdBy: 'lee',
      });
      expect(await second.getChannel('p1', c.id)).toEqual(c);
      expect(await store.getChannel('p2', c.id)).toBeNull();
      const u = await store.updateChannel('p1', c.id, {
        name: 'Hook 2',
        enabled: false,
        config: { url: 'https://y.test/h', secret: 't'.repeat(16) },
      });
      expect(u).toMatchObject({
        name: 'Hook 2',
        enabled: false,
        config: { url: 'https://y.test/h' },
      });
      await store.enqueue([
        {
          pcode: 'p1',
          incidentId: 1,
          channelId: c.id,
          event: 'firing',
          seq: 0,
          nextAttemptAt: T,
        },
      ]);
      expect(await store.deleteChannel('p1', c.id)).toBe(true);
      expect(await store.claimDue('a', T, T + 60_000, 10)).toEqual([]);
      expect(await store.listChannels('p1')).toEqual([]);
    });

    it('queues each notification once and lets one collector claim it at a time', async () => {
      const item = {
        pcode: 'p1',
        incidentId: 5,
        channelId: 2,
        event: 'firing' as const,
        seq: 0,
        nextAttemptAt: T,
      };
      expect(await store.enqueue([item, { ...item, channelId: 3 }])).toBe(2);
      expect(await second.enqueue([item])).toBe(0);
      const [mine, theirs] = await Promise.all([store.claimDue('a', T, T + 60_000, 10), second.claimDue('b', T, T + 60_000, 10)]);
      expect(mine.length + theirs.length).toBe(2);
      expect(new Set([...mine, ...theirs].map((o) => o.channelId))).toEqual(new Set([2, 3]));
      // Claimed: nobody else gets them until the claim runs out.
      expect(await second.claimDue('b', T + 1000, T + 61_000, 10)).toEqual([]);
      const id = [...mine, ...theirs].find((o) => o.channelId === 2)!.id;
      await store.finishAttempt(id, false, T + 5000);
      expect(await store.claimDue('c', T + 4000, T + 64_000, 10)).toEqual([]);
      expect((await store.claimDue('c', T + 5000, T + 65_000, 10)).map((o) => [o.channelId, o.attempts])).toEqual([[2, 1]]);
      // A claim that ran out (its collector died) is taken over.
      expect((await second.claimDue('d', T + 70_000, T + 130_000, 10)).map((o) => o.channelId).sort()).toEqual([2, 3]);
      await store.finishAttempt(id, true, T);
      expect((await store.claimDue('e', T + 200_000, T + 260_000, 10)).map((o) => o.channelId)).toEqual([3]);
    });

    it('logs deliveries per channel and incident, newest first', async () => {
      const d = {
        pcode: 'p1',
        channelId: 2,
        incidentId: 5,
        event: 'firing' as const,
        status: 'retrying' as const,
        attempt: 1,
        statusCode: 503,
        latencyMs: 12.5,
        error: 'HTTP 503',
        at: T,
      };
      await store.recordDelivery(d);
      await store.recordDelivery({
        ...d,
        status: 'sent',
        attempt: 2,
        statusCode: 200,
        error: null,
        at: T + 1,
      });
      await store.recordDelivery({
        ...d,
        channelId: 3,
        incidentId: null,
        event: 'test',
        status: 'sent',
        at: T + 2,
      });
      expect((await second.listDeliveries('p1', { channelId: 2 }, 10)).map((x) => [x.status, x.attempt, x.latencyMs])).toEqual([
        ['sent', 2, 12.5],
        ['retrying', 1, 12.5],
      ]);
      expect((await store.listDeliveries('p1', { incidentId: 5 }, 1)).map((x) => x.attempt)).toEqual([2]);
      expect(await store.listDeliveries('p2', {}, 10)).toEqual([]);
    });

    it('silences: active ones, recent ones, deleted ones', async () => {
      const s = await store.createSilence({
        pcode: 'p1',
        ruleId: null,
        until: T + 1000,
        reason: 'deploy',
        createdBy: 'lee',
        createdAt: T,
      });
      await store.createSilence({
        pcode: 'p1',
        ruleId: 4,
        until: T - 1000,
        reason: 'old',
        createdBy: 'lee',
        createdAt: T - 5000,
      });
      expect((await second.activeSilences(T)).map((x) => x.reason)).toEqual(['deploy']);
      expect((await store.listSilences('p1', T - 2000)).map((x) => x.reason)).toEqual(['deploy', 'old']);
      expect((await store.listSilences('p1', T)).map((x) => x.reason)).toEqual(['deploy']);
      expect(await store.deleteSilence('p2', s.id)).toBeNull();
      expect(await store.deleteSilence('p1', s.id)).toMatchObject({
        reason: 'deploy',
      });
      expect(await store.activeSilences(T)).toEqual([]);
    });

    it('leases: one holder at a time, renewable, taken over once expired', async () => {
      expect(await store.acquireLease('evaluation', 'a', T, T + 15_000)).toBe(true);
      expect(await second.acquireLease('evaluation', 'b', T + 1000, T + 16_000)).toBe(false);
      expect(await store.acquireLease('evaluation', 'a', T + 10_000, T + 25_000)).toBe(true);
      expect(await second.acquireLease('evaluation', 'b', T + 20_000, T + 35_000)).toBe(false);
      expect(await second.acquireLease('evaluation', 'b', T + 25_001, T + 40_000)).toBe(true);
      expect(await store.acquireLease('evaluation', 'a', T + 26_000, T + 41_000)).toBe(false);
      await second.releaseLease('evaluation', 'b');
      expect(await store.acquireLease('evaluation', 'a', T + 27_000, T + 42_000)).toBe(true);
      expect(await store.lastCycle()).toBeNull();
      await store.recordCycle(T);
      await second.recordCycle(T + 10_000);
      expect(await store.lastCycle()).toBe(T + 10_000);
    });

    it('deletes everything of a project', async () => {
      const r = await store.createRule('p1', settings(), 'lee', T);
      await store.createRule('p2', settings(), 'lee', T);
      await incident(r.id);
      await store.createSilence({
        pcode: 'p1',
        ruleId: null,
        until: T + 1000,
        reason: 'x',
        createdBy: 'lee',
        createdAt: T,
      });
      await store.deleteProject('p1');
      expect(await store.listRules('p1')).toEqual([]);
      expect(await store.listIncidents('p1', { limit: 10 })).toEqual([]);
      expect(await store.activeSilences(T)).toEqual([]);
      expect((await store.listRules('p2')).length).toBe(1);
    });
  });
}
