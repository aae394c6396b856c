import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { openSqliteTelemetryStore } from '../store/sqlite/telemetry-store';
import type { TelemetryStore } from '../store/telemetry-store';
import { type AlertHarness, startAlertHarness } from '../testing/alert-harness';
import { createUserClient } from '../testing/test-collector';

let h: AlertHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const rule = {
  name: 'Slow',
  kind: 'response_time',
  threshold: 500,
  windowSec: 60,
};

describe('alert API input', () => {
  it('refuses bad rules with a 400 naming the field', async () => {
    h = await startAlertHarness();
    const agent = await h.addAgent('shop-1');
    const post = (body: object) => h!.admin.post(apiPaths.alertRules(h!.pcode), body);
    const cases: Array<[object, string, RegExp]> = [
      [{ ...rule, windowSec: -60 }, 'windowSec', /at least 60 seconds/],
      [{ ...rule, threshold: 'fast' }, 'threshold', /threshold must be a number/],
      [{ ...rule, threshold: -1 }, 'threshold', /0 or more/],
      [{ ...rule, scope: { type: 'agents', agentIds: [agent.id, 9999] } }, 'scope.agentIds', /Unknown agent 9999/],
      [{ ...rule, channelIds: [42] }, 'channelIds', /Unknown channel 42/],
      [{ ...rule, repeat: 'hourly' }, 'repeat', /0,1H,1D/],
      [{ ...rule, kind: 'apdex_below', threshold: 3 }, 'threshold', /between 0 and 1/],
      [
        {
          ...rule,
          kind: 'active_slow',
          scope: { type: 'transaction', name: '/x' },
        },
        'scope',
        /watches agents/,
      ],
      [{ ...rule, kind: 'nonsense' }, 'kind', /Invalid enum value/],
      [{ ...rule, colour: 'red' }, '', /Unknown field "colour"/],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
    const patched = await h.admin.patch(apiPaths.alertRule(h.pcode, (await post(rule)).body.rule.id), { windowSec: 5 });
    expect(patched.status).toBe(400);
    expect(patched.body.error.field).toBe('windowSec');
  });

  it('refuses bad channels and silences with a 400 naming the field', async () => {
    h = await startAlertHarness();
    const post = (body: object) => h!.admin.post(apiPaths.alertChannels(h!.pcode), body);
    const cases: Array<[object, string, RegExp]> = [
      [
        {
          kind: 'webhook',
          name: 'x',
          url: 'ftp://example.com/hook',
          secret: '0123456789abcdef',
        },
        'url',
        /http:\/\/ or https:\/\//,
      ],
      [
        {
          kind: 'webhook',
          name: 'x',
          url: 'not a url',
          secret: '0123456789abcdef',
        },
        'url',
        /http:\/\/ or https:\/\//,
      ],
      [
        {
          kind: 'webhook',
          name: 'x',
          url: 'https://example.com/hook',
          secret: 'short',
        },
        'secret',
        /at least 16/,
      ],
      [{ kind: 'slack', name: 'x', url: 'javascript:alert(1)' }, 'url', /http:\/\/ or https:\/\//],
      [{ kind: 'email', name: 'x', to: ['not-an-address'] }, 'to.0', /email address/],
      [{ kind: 'email', name: 'x', to: [] }, 'to', /at least one recipient/],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
    const past = await h.admin.post(apiPaths.silences(h.pcode), {
      until: new Date(h.clock.now - 1000).toISOString(),
      reason: 'x',
    });
    expect(past.status).toBe(400);
    expect(past.body.error.field).toBe('until');
    const noReason = await h.admin.post(apiPaths.silences(h.pcode), {
      until: new Date(h.clock.now + 60_000).toISOString(),
      reason: ' ',
    });
    expect(noReason.body.error.field).toBe('reason');
  });

  it('viewers read but cannot change; strangers see nothing', async () => {
    h = await startAlertHarness();
    const created = await h.admin.post(apiPaths.alertRules(h.pcode), rule);
    const viewer = await createUserClient(h.admin, 'vera');
    const stranger = await createUserClient(h.admin, 'sam');
    await h.admin.post(apiPaths.members(h.pcode), {
      username: 'vera',
      role: 'viewer',
    });
    expect((await viewer.get(apiPaths.alertRules(h.pcode))).body.rules.length).toBe(1);
    expect((await viewer.post(apiPaths.alertRules(h.pcode), rule)).status).toBe(403);
    expect((await viewer.delete(apiPaths.alertRule(h.pcode, created.body.rule.id))).status).toBe(403);
    expect((await stranger.get(apiPaths.alertRules(h.pcode))).status).toBe(404);
    expect((await stranger.get(apiPaths.alertChannels(h.pcode))).status).toBe(404);
    expect((await stranger.get(apiPaths.alertSummary)).body).toEqual({
      projects: [],
    });
  });

  it('preview: the metric over the last hour, the threshold, and how often it would have fired', async () => {
    h = await startAlertHarness();
    const agent = await h.addAgent('shop-1');
    h.clock.now = Math.floor(h.clock.now / 60_000) * 60_000;
    // Slow from 40 to 30 minutes ago, fast otherwise.
    for (let m = 59; m >= 0; m--) {
      const slow = m <= 40 && m > 30;
      for (let s = 0; s < 60; s += 15)
        await h.counters([agent.id], { txCount: 10, respTime: slow ? 900 : 100 }, h.clock.now - m * 60_000 - s * 1000);
    }
    const res = await h.admin.post(apiPaths.alertPreview(h.pcode), {
      rule: { ...rule, forSec: 120 },
      range: '1h',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      unit: 'ms',
      threshold: 500,
      comparison: 'above',
      wouldFire: 1,
      step: 60_000,
    });
    expect(res.body.series).toHaveLength(1);
    expect(res.body.series[0].points).toHaveLength(60);
    expect(Math.max(...res.body.series[0].points.map((p: { value: number }) => p.value))).toBe(900);
    const bad = await h.admin.post(apiPaths.alertPreview(h.pcode), {
      rule: { ...rule, windowSec: 'x' },
    });
    expect(bad.body.error.field).toBe('rule.windowSec');
  });

  it('evaluation survives a store error: the project is skipped this cycle and evaluated the next', async () => {
    let failing = true;
    h = await startAlertHarness({
      telemetry: (file) => {
        const real = openSqliteTelemetryStore(file, { inlineWriter: true });
        const store: TelemetryStore = {
          ...real,
          counters: async (...a) => {
            if (failing) throw new Error('database is locked');
            return real.counters(...a);
          },
          close: () => real.close(),
        };
        return store;
      },
    });
    const agent = await h.addAgent('shop-1');
    await h.fill([agent.id], { txCount: 10, respTime: 900 }, 60);
    await h.admin.post(apiPaths.alertRules(h.pcode), rule);
    const first = await h.evaluate();
    expect(first).toMatchObject({ failedProjects: 1, fired: 0 });
    failing = false;
    h.advance(10_000);
    const second = await h.evaluate();
    expect(second).toMatchObject({ failedProjects: 0, fired: 1 });
  });

  it('deleting a rule resolves its open incidents; changing its condition starts it over', async () => {
    h = await startAlertHarness();
    const agent = await h.addAgent('shop-1');
    await h.fill([agent.id], { txCount: 10, respTime: 900 }, 60);
    const id = (await h.admin.post(apiPaths.alertRules(h.pcode), rule)).body.rule.id;
    await h.evaluate();
    const open = () => h!.admin.get(`${apiPaths.incidents(h!.pcode)}?state=open`);
    expect((await open()).body.incidents.length).toBe(1);
    await h.admin.patch(apiPaths.alertRule(h.pcode, id), { threshold: 2000 });
    expect((await open()).body.incidents.length).toBe(0);
    await h.admin.patch(apiPaths.alertRule(h.pcode, id), { threshold: 500 });
    await h.evaluate();
    expect((await open()).body.incidents.length).toBe(1);
    // A deleted channel leaves the rules that named it.
    const channel = await h.admin.post(apiPaths.alertChannels(h.pcode), { kind: 'slack', name: 'S', url: 'https://hooks.example.com/x' });
    await h.admin.patch(apiPaths.alertRule(h.pcode, id), { channelIds: [channel.body.channel.id] });
    expect((await h.admin.delete(apiPaths.alertChannel(h.pcode, channel.body.channel.id))).status).toBe(204);
    expect((await h.admin.get(apiPaths.alertRule(h.pcode, id))).body.rule.channelIds).toEqual([]);
    expect((await h.admin.patch(apiPaths.alertRule(h.pcode, id), { name: 'Still editable' })).status).toBe(200);
    expect((await h.admin.delete(apiPaths.alertRule(h.pcode, id))).status).toBe(204);
    expect((await open()).body.incidents.length).toBe(0);
    expect((await h.admin.get(`${apiPaths.incidents(h.pcode)}?state=resolved`)).body.incidents[0].ruleName).toBe('Slow');
    expect((await h.admin.get(apiPaths.alertRule(h.pcode, id))).status).toBe(404);
  });
});
