import { type Notification, summaryLine } from './notification';
import { describeSendError, type SendResult } from './send-result';
import { type Mail, sendMail, SmtpError, type SmtpSettings } from './smtp-client';

/** Names from users and traced apps go into the HTML part as text, never markup. */
const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The mail of a notification: subject, plain text and HTML, with the link to the console. */
export function notificationMail(to: string[], n: Notification): Mail {
  const line = summaryLine(n);
  const i = n.incident;
  const facts: Array<[string, string]> = [['Project', n.project.name]];
  if (i) {
    facts.push(['Rule', i.ruleName], ['Scope', i.scopeLabel], ['Severity', i.severity]);
    facts.push(['Started', new Date(i.startedAt).toISOString()]);
    if (i.resolvedAt !== null) facts.push(['Resolved', new Date(i.resolvedAt).toISOString()]);
  }
  const text = [line, '', ...facts.map(([k, v]) => `${k}: ${v}`), '', `Open in Tapscope: ${n.link}`, ''].join('\n');
  const rows = facts.map(([k, v]) => `<tr><th align="left">${html(k)}</th><td>${html(v)}</td></tr>`).join('');
  const body =
    `<!doctype html><html><body><p><strong>${html(line)}</strong></p><table>${rows}</table>` +
    `<p><a href="${html(n.link)}">Open in Tapscope</a></p></body></html>`;
  return { to, subject: `[Tapscope] ${line}`, text, html: body };
}

/** The email channel over the SMTP relay of the channel, or else of the config file. */
export async function sendEmail(
  to: string[],
  smtp: SmtpSettings | null,
  n: Notification,
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  if (!smtp)
    return {
      ok: false,
      statusCode: null,
      latencyMs: 0,
      error: 'no SMTP server: set alerts.smtp in the config file (or TAPSCOPE_SMTP_HOST, TAPSCOPE_SMTP_FROM) or on the channel',
    };
  try {
    const code = await sendMail(smtp, notificationMail(to, n), timeoutMs);
    return { ok: true, statusCode: code, latencyMs: latency(), error: null };
  } catch (err) {
    const code = err instanceof SmtpError ? err.code : null;
    return {
      ok: false,
      statusCode: code,
      latencyMs: latency(),
      error: err instanceof SmtpError ? err.message : describeSendError(err),
    };
  }
}
