import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { type AlertHarness, startAlertHarness } from '../testing/alert-harness';
import { type HttpReceiver, startHttpReceiver } from '../testing/alert-receivers';
import { freePort } from '../testing/server-process';

const SECRET = 'whsec-0123456789abcdef';

let h: AlertHarness | undefined;
let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(async () => {
  await receiver.close();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  receiver.received.length = 0;
  receiver.answer(200);
});

async function webhookChannel(harness: AlertHarness, url = `${receiver.url}/hook`) {
  const res = await harness.admin.post(apiPaths.alertChannels(harness.pcode), {
    kind: 'webhook',
    name: 'Ops hook',
    url,
    secret: SECRET,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.channel as { id: number };
}

/** A slow project: average 900 ms over the last minute, on one agent. */
async function slowProject(harness: AlertHarness) {
  const agent = await harness.addAgent('shop-1');
  await harness.fill([agent.id], { txCount: 10, respTime: 900 }, 60);
  return agent;
}

/** Creates the rule 'average response time > 500 ms over 1 min' with `fields` added or changed; answers it. */
async function slowRule(harness: AlertHarness, fields: { name: string } & Record<string, unknown>) {
  const res = await harness.admin.post(apiPaths.alertRules(harness.pcode), {
    kind: 'response_time',
    threshold: 500,
    windowSec: 60,
    ...fields,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.rule;
}

const verify = (body: string, header: unknown) => header === `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe('notifications', () => {
  it('a webhook gets the documented body, signed with the channel secret; resolved follows', async () => {
    h = await startAlertHarness();
    const channel = await webhookChannel(h);
    const agent = await slowProject(h);
    const rule = await slowRule(h, { name: 'Slow <checkout>', severity: 'critical', channelIds: [channel.id] });
    await h.evaluate();
    expect(await h.dispatch()).toBe(1);
    const [req] = await receiver.waitFor(1);
    expect(req!.path).toBe('/hook');
    expect(req!.headers['content-type']).toContain('application/json');
    expect(verify(req!.body, req!.headers['x-tapscope-signature'])).toBe(true);
    expect(Number(req!.headers['x-tapscope-timestamp'])).toBe(Math.floor(h.clock.now / 1000));
    const body = JSON.parse(req!.body);
    expect(body).toMatchObject({
      version: 1,
      event: 'firing',
      project: { pcode: h.pcode, name: 'Shop' },
      incident: {
        state: 'open',
        severity: 'critical',
        value: 900,
        threshold: 500,
        unit: 'ms',
        scope: { key: 'project', label: 'Whole project' },
      },
      rule: {
        id: rule.id,
        name: 'Slow <checkout>',
        kind: 'response_time',
        comparison: 'above',
        windowSec: 60,
      },
    });
    expect(body.url).toBe(`http://127.0.0.1:${h.config.http.port}/projects/${h.pcode}/alerts/incidents/${body.incident.id}`);
    // A tampered body does not verify.
    expect(verify(req!.body.replace('900', '901'), req!.headers['x-tapscope-signature'])).toBe(false);

    h.advance(60_000);
    await h.fill([agent.id], { txCount: 10, respTime: 50 }, 60);
    await h.evaluate();
    await h.dispatch();
    const [, resolved] = await receiver.waitFor(2);
    expect(JSON.parse(resolved!.body)).toMatchObject({
      event: 'resolved',
      incident: { state: 'resolved', value: 50, peakValue: 900 },
    });

    // The incident page lists what was sent.
    const detail = await h.admin.get(apiPaths.incident(h.pcode, body.incident.id));
    expect(detail.body.incident.notifications.map((n: { event: string; status: string }) => [n.event, n.status])).toEqual([
      ['resolved', 'sent'],
      ['firing', 'sent'],
    ]);
    expect(detail.body.incident.rule.name).toBe('Slow <checkout>');
  });

  it('a Slack-compatible channel gets text and blocks, names escaped', async () => {
    h = await startAlertHarness();
    const res = await h.admin.post(apiPaths.alertChannels(h.pcode), {
      kind: 'slack',
      name: 'Slack',
      url: `${receiver.url}/services/T0/B0/secretpart`,
    });
    expect(res.status).toBe(201);
    // The incoming-webhook URL is a credential: never shown back.
    expect(JSON.stringify(res.body)).not.toContain('secretpart');
    expect(res.body.channel.urlHint).toBe(`${receiver.url}/••••part`);
    await slowProject(h);
    await slowRule(h, { name: 'Slow <@here>', channelIds: [res.body.channel.id] });
    await h.evaluate();
    await h.dispatch();
    const [req] = await receiver.waitFor(1);
    expect(req!.path).toBe('/services/T0/B0/secretpart');
    const msg = JSON.parse(req!.body);
    expect(msg.text).toContain('Slow &lt;@here&gt; firing — Whole project: 900 ms');
    expect(msg.blocks[0]).toMatchObject({
      type: 'section',
      text: { type: 'mrkdwn' },
    });
    expect(JSON.stringify(msg.blocks)).toContain(`/projects/${h.pcode}/alerts/incidents/`);
  });

  it('retries a failing receiver with back-off and logs each attempt; unreachable says why', async () => {
    h = await startAlertHarness();
    const channel = await webhookChannel(h);
    const deadPort = await freePort();
    const dead = await webhookChannel(h, `http://127.0.0.1:${deadPort}/hook`);
    await slowProject(h);
    await slowRule(h, { name: 'Slow', channelIds: [channel.id, dead.id] });
    receiver.answer(503);
    await h.evaluate();
    expect(await h.dispatch()).toBe(2);
    expect(await h.dispatch()).toBe(0); // not due yet
    h.advance(1000); // retryBaseMs in the harness
    receiver.answer(200);
    expect(await h.dispatch()).toBe(2);

    const log = await h.admin.get(apiPaths.alertChannelDeliveries(h.pcode, channel.id));
    expect(
      log.body.deliveries.map((d: { status: string; statusCode: number; attempt: number }) => [
        d.status,
        d.statusCode,
        d.attempt,
      ]),
    ).toEqual([
      ['sent', 200, 2],
      ['retrying', 503, 1],
    ]);
    expect(log.body.deliveries[1].error).toBe('the receiver answered HTTP 503');
    const deadLog = await h.admin.get(apiPaths.alertChannelDeliveries(h.pcode, dead.id));
    expect(deadLog.body.deliveries[0]).toMatchObject({
      status: 'retrying',
      statusCode: null,
      error: 'connection refused',
      attempt: 2,
    });
    // Gives up after maxAttempts (5).
    for (const wait of [4000, 16_000, 64_000]) {
      h.advance(wait);
      await h.dispatch();
    }
    const final = await h.admin.get(apiPaths.alertChannelDeliveries(h.pcode, dead.id));
    expect(final.body.deliveries[0]).toMatchObject({
      status: 'failed',
      attempt: 5,
    });
    h.advance(1_000_000);
    expect(await h.dispatch()).toBe(0);
  });

  it('a receiver whose certificate cannot be verified fails with the TLS reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapscope-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      h = await startAlertHarness();
      const port = (server.address() as { port: number }).port;
      const channel = await webhookChannel(h, `https://127.0.0.1:${port}/hook`);
      const test = await h.admin.post(apiPaths.alertChannelTest(h.pcode, channel.id));
      expect(test.body.delivery).toMatchObject({ status: 'failed', statusCode: null, error: 'TLS: self-signed certificate' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"send a test" answers the result; the secret is never shown back', async () => {
    h = await startAlertHarness();
    const channel = await webhookChannel(h);
    const list = await h.admin.get(apiPaths.alertChannels(h.pcode));
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    expect(list.body.channels[0]).toMatchObject({
      kind: 'webhook',
      secretSet: true,
      secretHint: '••••••cdef',
    });

    const test = await h.admin.post(apiPaths.alertChannelTest(h.pcode, channel.id));
    expect(test.status).toBe(200);
    expect(test.body.delivery).toMatchObject({
      event: 'test',
      status: 'sent',
      statusCode: 200,
      incidentId: null,
    });
    const [req] = await receiver.waitFor(1);
    expect(verify(req!.body, req!.headers['x-tapscope-signature'])).toBe(true);
    expect(JSON.parse(req!.body)).toMatchObject({
      event: 'test',
      incident: null,
      rule: null,
    });

    receiver.answer(500);
    const failed = await h.admin.post(apiPaths.alertChannelTest(h.pcode, channel.id));
    expect(failed.body.delivery).toMatchObject({
      status: 'failed',
      statusCode: 500,
      error: 'the receiver answered HTTP 500',
    });

    // Changing the name keeps the secret; a new secret replaces it.
    await h.admin.patch(apiPaths.alertChannel(h.pcode, channel.id), {
      name: 'Renamed',
    });
    receiver.answer(200);
    await h.admin.post(apiPaths.alertChannelTest(h.pcode, channel.id));
    const all = await receiver.waitFor(3);
    expect(verify(all[2]!.body, all[2]!.headers['x-tapscope-signature'])).toBe(true);
    const wrongKind = await h.admin.patch(apiPaths.alertChannel(h.pcode, channel.id), { to: ['a@example.com'] });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.field).toBe('to');
  });

  it('"for": pending until the condition held long enough', async () => {
    h = await startAlertHarness();
    const agent = await slowProject(h);
    const created = await slowRule(h, { name: 'Slow for 30 s', forSec: 30 });
    const ruleUrl = apiPaths.alertRule(h.pcode, created.id);
    await h.evaluate();
    expect((await h.admin.get(ruleUrl)).body.rule.state).toBe('pending');
    for (const step of [10_000, 10_000]) {
      h.advance(step);
      await h.counters([agent.id], { txCount: 10, respTime: 900 });
      await h.evaluate();
      expect((await h.admin.get(ruleUrl)).body.rule.state).toBe('pending');
    }
    h.advance(10_000);
    await h.counters([agent.id], { txCount: 10, respTime: 900 });
    await h.evaluate();
    const rule = (await h.admin.get(ruleUrl)).body.rule;
    expect(rule.state).toBe('firing');
    expect(rule.evaluatedAt).toBe(new Date(h.clock.now).toISOString());
    expect((await h.admin.get(`${apiPaths.incidents(h.pcode)}?state=open`)).body.incidents.length).toBe(1);
  });

  it('repeat schedule 0,1m,5m: at once, a minute later, then every 5 minutes', async () => {
    h = await startAlertHarness();
    const channel = await webhookChannel(h);
    const agent = await slowProject(h);
    await slowRule(h, { name: 'Slow', channelIds: [channel.id], repeat: '0,1m,5m' });
    const sentAt: number[] = [];
    const start = h.clock.now;
    for (let t = 0; t <= 12 * 60_000; t += 10_000) {
      if (t > 0) {
        h.advance(10_000);
        await h.counters([agent.id], { txCount: 10, respTime: 900 });
      }
      await h.evaluate();
      if ((await h.dispatch()) > 0) sentAt.push((h.clock.now - start) / 60_000);
    }
    expect(sentAt).toEqual([0, 1, 6, 11]);
    const events = receiver.received.map((r) => JSON.parse(r.body).event);
    expect(events).toEqual(['firing', 'repeat', 'repeat', 'repeat']);
  });

  it('a silence mutes notifications (incidents still open) and is audited', async () => {
    h = await startAlertHarness();
    const channel = await webhookChannel(h);
    await slowProject(h);
    const rule = await slowRule(h, { name: 'Slow', channelIds: [channel.id] });
    const until = new Date(h.clock.now + 3_600_000).toISOString();
    const silence = await h.admin.post(apiPaths.silences(h.pcode), {
      ruleId: rule.id,
      until,
      reason: 'planned maintenance',
    });
    expect(silence.status).toBe(201);
    expect(silence.body.silence).toMatchObject({
      ruleId: rule.id,
      active: true,
      reason: 'planned maintenance',
      createdBy: 'admin',
    });
    await h.evaluate();
    expect(await h.dispatch()).toBe(0);
    expect((await h.admin.get(`${apiPaths.incidents(h.pcode)}?state=open`)).body.incidents.length).toBe(1);

    const audit = await h.admin.get(apiPaths.audit);
    expect(audit.body.entries.find((e: { action: string }) => e.action === 'silence_created')).toMatchObject({
      actor: 'admin',
      detail: expect.stringContaining('planned maintenance'),
    });
    expect((await h.admin.delete(apiPaths.silence(h.pcode, silence.body.silence.id))).status).toBe(204);
    expect((await h.admin.get(apiPaths.silences(h.pcode))).body.silences).toEqual([]);
    expect(audit.body.entries.some((e: { action: string }) => e.action === 'alert_rule_created')).toBe(true);
  });

  it('the summary counts open incidents and the worst severity of my projects only', async () => {
    h = await startAlertHarness();
    await slowProject(h);
    await slowRule(h, { name: 'A', severity: 'info' });
    await slowRule(h, { name: 'B', threshold: 100, severity: 'critical' });
    await h.evaluate();
    const summary = await h.admin.get(apiPaths.alertSummary);
    expect(summary.body).toEqual({
      projects: [{ pcode: h.pcode, openIncidents: 2, worstSeverity: 'critical' }],
    });
    const ack = await h.admin.post(
      apiPaths.incidentAck(h.pcode, (await h.admin.get(apiPaths.incidents(h.pcode))).body.incidents[0].id),
    );
    expect(ack.body.incident).toMatchObject({ acknowledgedBy: 'admin' });
  });
});
