import net from 'node:net';
import tls from 'node:tls';
import type { UpdateAlertChannelRequest } from '../../../src/api/alerts';

/**
 * An email channel's SMTP settings as the contract parses them. `security`: `starttls` upgrades
 * after EHLO (refused if the server does not offer it); `tls` is TLS from the start; `none` clear text.
 */
export interface SmtpSettings extends NonNullable<UpdateAlertChannelRequest['smtp']> {
  /** false accepts any certificate. */
  verifyCertificate: boolean;
}

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** An SMTP exchange that failed; `code` is the server's reply code when it answered. */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: number | null = null,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

interface Reply {
  code: number;
  lines: string[];
}

/** Reads SMTP replies (possibly multi-line, `250-…` then `250 …`) from a socket. */
class ReplyReader {
  private buffer = '';
  private readonly replies: Reply[] = [];
  private current: string[] = [];
  private waiting: { resolve(r: Reply): void; reject(e: Error): void } | null = null;
  private failure: Error | null = null;

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.push(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new SmtpError('the SMTP server closed the connection')));
  }

  /** Stops reading (before the socket is handed to TLS). */
  detach(): void {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > 1_000_000) return this.fail(new SmtpError('the SMTP server sent an over-long reply'));
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.current.push(line.slice(4));
      if (line[3] !== '-') {
        const reply = {
          code: Number(line.slice(0, 3)) || 0,
          lines: this.current,
        };
        this.current = [];
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w.resolve(reply);
        } else this.replies.push(reply);
      }
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
  }

  next(): Promise<Reply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** No CR / LF from any value into a command or a header. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
/**
 * RFC 2047 for non-ASCII header text: encoded words of at most 75 characters (whole
 * characters per word), folded onto continuation lines.
 */
function headerText(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  const words: string[] = [];
  let chunk = '';
  for (const ch of s) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 39) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${b64(w)}?=`).join('\r\n ');
}
const wrap76 = (s: string) => s.replace(/.{76}/g, '$&\r\n');

/** The message: plain text and HTML alternatives, each base64 (no line-length or dot issues). */
export function buildMessage(from: string, mail: Mail, now: Date, messageId: string): string {
  const boundary = `tapscope-${messageId.replace(/[^A-Za-z0-9]/g, '').slice(-20)}`;
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap76(b64(body))}\r\n`;
  return (
    [
      `From: ${oneLine(from)}`,
      `To: ${mail.to.map(oneLine).join(', ')}`,
      `Subject: ${headerText(oneLine(mail.subject))}`,
      `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <${messageId}>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      part('text/plain', mail.text) + part('text/html', mail.html) + `--${boundary}--`,
    ].join('\r\n') + '\r\n'
  );
}

/**
 * Sends one mail over SMTP, speaking the protocol itself: EHLO, STARTTLS when asked (and
 * refusing to go on in clear if the server does not offer it), AUTH PLAIN or LOGIN when a
 * username is set, then MAIL / RCPT / DATA. Resolves with the final reply code; rejects
 * with an SmtpError naming the step ("SMTP auth failed (535)"). Never logs or echoes the password.
 */
export async function sendMail(s: SmtpSettings, mail: Mail, timeoutMs: number, now = new Date()): Promise<number> {
  const tlsOptions = {
    servername: net.isIP(s.host) ? undefined : s.host,
    rejectUnauthorized: s.verifyCertificate,
  };
  let socket: net.Socket =
    s.security === 'tls'
      ? tls.connect({ host: s.host, port: s.port, ...tlsOptions })
      : net.connect({ host: s.host, port: s.port });
  const timer = setTimeout(() => socket.destroy(new SmtpError('timed out')), timeoutMs);
  let reader = new ReplyReader(socket);
  const expect = async (step: string, ok: (code: number) => boolean) => {
    const r = await reader.next();
    if (!ok(r.code))
      throw new SmtpError(
        `SMTP ${step} refused (${r.code}${r.lines[0] ? `: ${oneLine(r.lines[0]).slice(0, 200)}` : ''})`,
        r.code,
      );
    return r;
  };
  const send = (line: string) => socket.write(`${line}\r\n`);
  try {
    await expect('greeting', (c) => c === 220);
    send('EHLO tapscope');
    let ehlo = await expect('EHLO', (c) => c === 250);
    const offers = (word: string) => ehlo.lines.some((l) => l.toUpperCase().split(/\s+/).includes(word));
    if (s.security === 'starttls') {
      if (!offers('STARTTLS'))
        throw new SmtpError('the SMTP server does not offer STARTTLS (set security "none" only for a trusted local relay)');
      send('STARTTLS');
      await expect('STARTTLS', (c) => c === 220);
      reader.detach();
      const plain = socket;
      socket = tls.connect({ socket: plain, ...tlsOptions });
      reader = new ReplyReader(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      send('EHLO tapscope');
      ehlo = await expect('EHLO', (c) => c === 250);
    }
    if (s.username) {
      const auth =
        ehlo.lines
          .find((l) => /^AUTH\b/i.test(l))
          ?.toUpperCase()
          .split(/\s+/) ?? [];
      const password = s.password ?? '';
      const authFailed = (code: number) => new SmtpError(`SMTP auth failed (${code})`, code);
      if (auth.includes('PLAIN') || !auth.includes('LOGIN')) {
        send(`AUTH PLAIN ${b64(`\0${s.username}\0${password}`)}`);
        const r = await reader.next();
        if (r.code !== 235) throw authFailed(r.code);
      } else {
        send('AUTH LOGIN');
        for (const value of [s.username, password]) {
          const r = await reader.next();
          if (r.code !== 334) throw authFailed(r.code);
          send(b64(value));
        }
        const r = await reader.next();
        if (r.code !== 235) throw authFailed(r.code);
      }
    }
    send(`MAIL FROM:<${oneLine(s.from)}>`);
    await expect('MAIL FROM', (c) => c === 250);
    for (const to of mail.to) {
      send(`RCPT TO:<${oneLine(to)}>`);
      await expect(`recipient ${oneLine(to)}`, (c) => c === 250 || c === 251);
    }
    send('DATA');
    await expect('DATA', (c) => c === 354);
    const id = `${now.getTime()}.${Math.random().toString(36).slice(2)}@tapscope`;
    const body = buildMessage(s.from, mail, now, id).replace(/^\./gm, '..');
    socket.write(`${body}.\r\n`);
    const done = await expect('message', (c) => c === 250);
    send('QUIT');
    return done.code;
  } finally {
    clearTimeout(timer);
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}
