import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnAs, stopProcess, waitUntil } from './server-process';

/** One request an HTTP receiver got. */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The exact body bytes as text (signatures are over these). */
  body: string;
}

export interface HttpReceiver {
  url: string;
  received: ReceivedRequest[];
  /** The status to answer the next requests with (default 200). */
  answer(status: number): void;
  waitFor(count: number, ms?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A webhook / Slack-style receiver on 127.0.0.1 (free port) that records every POST. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (s) => (status = s),
    async waitFor(count, ms = 30_000) {
      await waitUntil(`${count} requests at the receiver`, async () => received.length >= count, { ms });
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message, headers and MIME parts. */
  data: string;
  authenticated: boolean;
  tls: boolean;
}

export interface SmtpReceiver {
  port: number;
  user: string;
  password: string;
  mails(): ReceivedMail[];
  waitFor(count: number, ms?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./smtp-receiver.py', import.meta.url));

/** True when Debian's python3-aiosmtpd is installed (scripts/install-system-deps.sh installs it). */
export function aiosmtpdAvailable(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import aiosmtpd'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * A real SMTP server (aiosmtpd) on 127.0.0.1: STARTTLS with a self-signed certificate made
 * by openssl, AUTH required with the returned user and password.
 */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const dir = mkdtempSync(join(tmpdir(), 'tapscope-smtp-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const user = 'alerts@example.com';
  const password = 'smtp-pass-0123';
  const child = spawnAs(null, '/usr/bin/python3', [SCRIPT, String(port), cert, key, user, password]);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const mails = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as ReceivedMail);
  await waitUntil('aiosmtpd to listen', async () => out.includes(`ready ${port}`), { process: child });
  return {
    port,
    user,
    password,
    mails,
    async waitFor(count, ms = 30_000) {
      await waitUntil(`${count} mails at the SMTP server`, async () => mails().length >= count, { ms, process: child });
      return mails();
    },
    async stop() {
      await stopProcess(child, 'SIGINT', 5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
