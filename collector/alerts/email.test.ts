import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { type AlertHarness, startAlertHarness } from '../testing/alert-harness';
import { aiosmtpdAvailable, type SmtpReceiver, startSmtpReceiver } from '../testing/alert-receivers';

/** Creates the email channel 'Ops' to ops@example.com, `fields` added or changed; answers it. */
async function emailChannel(harness: AlertHarness, fields: Record<string, unknown> = {}) {
  const res = await harness.admin.post(apiPaths.alertChannels(harness.pcode), {
    kind: 'email',
    name: 'Ops',
    to: ['ops@example.com'],
    ...fields,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.channel;
}

/** The Subject header, its RFC 2047 encoded words decoded. */
function subject(data: string): string {
  const raw = /^Subject: (.*(?:\r?\n .*)*)/m.exec(data)?.[1] ?? '';
  return raw
    .split(/\r?\n /)
    .map((w) => w.replace(/^=\?UTF-8\?B\?(.*)\?=$/, (_, b: string) => Buffer.from(b, 'base64').toString('utf8')))
    .join('');
}

/** The decoded text of each base64 MIME part of a message. */
function parts(data: string): string[] {
  return [...data.matchAll(/Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g)].map((m) =>
    Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64').toString('utf8'),
  );
}

// Debian's python3-aiosmtpd: a real SMTP server with STARTTLS and AUTH.
describe.runIf(aiosmtpdAvailable())('email over SMTP (aiosmtpd)', () => {
  let smtp: SmtpReceiver;
  let h: AlertHarness | undefined;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  }, 60_000);
  afterAll(async () => {
    await smtp?.stop();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const relay = (over: object = {}) => ({
    host: '127.0.0.1',
    port: smtp.port,
    security: 'starttls' as const,
    username: smtp.user,
    password: smtp.password,
    from: 'tapscope@example.com',
    verifyCertificate: false,
    ...over,
  });

  it('sends the incident as plain text and HTML, over STARTTLS with AUTH, from the config file relay', async () => {
    h = await startAlertHarness({
      configure: (c) => ({ ...c, alerts: { ...c.alerts, smtp: relay() } }),
    });
    const channel = await emailChannel(h, { name: 'Ops mail', to: ['ops@example.com', 'dev@example.com'] });
    const agent = await h.addAgent('shop-1');
    await h.fill([agent.id], { txCount: 10, respTime: 900 }, 60);
    await h.admin.post(apiPaths.alertRules(h.pcode), {
      name: 'Slow <script>alert(1)</script>',
      kind: 'response_time',
      threshold: 500,
      windowSec: 60,
      severity: 'critical',
      channelIds: [channel.id],
    });
    await h.evaluate();
    await h.dispatch();
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({
      from: 'tapscope@example.com',
      to: ['ops@example.com', 'dev@example.com'],
      authenticated: true,
      tls: true,
    });
    expect(subject(mail!.data)).toBe(
      '[Tapscope] [CRITICAL] Slow <script>alert(1)</script> firing — Whole project: 900 ms (above 500 ms; peak 900 ms)',
    );
    expect(mail!.data.split('\n').filter((line) => line.length > 78)).toEqual([]);
    const [text, html] = parts(mail!.data);
    expect(text).toContain('Whole project: 900 ms (above 500 ms; peak 900 ms)');
    expect(text).toMatch(new RegExp(`Open in Tapscope: http://127\\.0\\.0\\.1:\\d+/projects/${h.pcode}/alerts/incidents/\\d+`));
    expect(html).toContain('Slow &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');

    const log = await h.admin.get(apiPaths.alertChannelDeliveries(h.pcode, channel.id));
    expect(log.body.deliveries[0]).toMatchObject({
      status: 'sent',
      statusCode: 250,
      event: 'firing',
    });
  });

  it('records a wrong password and an unverifiable certificate as clear reasons', async () => {
    h = await startAlertHarness({
      configure: (c) => ({
        ...c,
        alerts: { ...c.alerts, smtp: relay({ password: 'wrong-password' }) },
      }),
    });
    const channel = await emailChannel(h);
    const test = await h.admin.post(apiPaths.alertChannelTest(h.pcode, channel.id));
    expect(test.body.delivery).toMatchObject({
      status: 'failed',
      statusCode: 535,
      error: 'SMTP auth failed (535)',
    });
    expect(JSON.stringify(test.body)).not.toContain('wrong-password');

    // A channel's own relay verifies the certificate: this one is self-signed.
    const own = await emailChannel(h, {
      name: 'Own relay',
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        username: smtp.user,
        password: smtp.password,
        from: 'a@example.com',
      },
    });
    expect(own.smtp).toMatchObject({ host: '127.0.0.1', passwordSet: true });
    expect(JSON.stringify(own)).not.toContain(smtp.password);
    const tls = await h.admin.post(apiPaths.alertChannelTest(h.pcode, own.id));
    expect(tls.body.delivery.status).toBe('failed');
    expect(tls.body.delivery.error).toMatch(/^TLS: /);
  });

  it('"send a test" on an email channel delivers a test mail', async () => {
    h = await startAlertHarness({
      configure: (c) => ({ ...c, alerts: { ...c.alerts, smtp: relay() } }),
    });
    const channel = await emailChannel(h);
    const before = smtp.mails().length;
    const test = await h.admin.post(apiPaths.alertChannelTest(h.pcode, channel.id));
    expect(test.body.delivery).toMatchObject({
      status: 'sent',
      statusCode: 250,
    });
    const mails = await smtp.waitFor(before + 1);
    expect(parts(mails.at(-1)!.data)[0]).toContain('Test notification from Tapscope for project Shop');
  });
});
