import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, encodeFrame, FrameDecoder, FrameType } from '../ingest/frames';
import { type IngestConfig, type IngestLog } from '../ingest/config';
import { type IngestServer, startIngestServer } from '../ingest/server';
import { generateLicenseKey, generatePcode } from '../licenses/license-key';
import type { MetaStore } from '../store/meta-store';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { openSqliteTelemetryStore } from '../store/sqlite/telemetry-store';
import type { TelemetryStore } from '../store/telemetry-store';

export const silentLog = { info() {}, warn() {}, error() {} };

/** Creates a project with one license; returns its code and the full key. */
export async function seedProject(meta: MetaStore, name = 'Shop', ownerId = 1): Promise<{ pcode: string; license: string; licenseId: number }> {
  const pcode = generatePcode();
  await meta.createProject({ pcode, name, region: 'default', group: '', timezone: 'UTC', createdAt: Date.now() }, ownerId);
  const key = generateLicenseKey(pcode);
  const row = await meta.createLicense({
    pcode,
    lookup: key.lookup,
    secretHash: key.secretHash,
    label: 'test',
    createdAt: Date.now(),
    createdBy: 'test',
  });
  return { pcode, license: key.key, licenseId: row.id };
}

export interface IngestHarness {
  dir: string;
  meta: MetaStore;
  telemetry: TelemetryStore;
  server: IngestServer;
  port: number;
  pcode: string;
  license: string;
  licenseId: number;
  /** Closes the server, the stores, and removes the directory. */
  close(): Promise<void>;
}

/** An ingest server on 127.0.0.1:0 over SQLite meta (unless given) and telemetry files in a temp dir. */
export async function startIngestHarness(
  opts: { meta?: MetaStore; ingest?: Partial<IngestConfig>; dir?: string; log?: IngestLog } = {},
): Promise<IngestHarness> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'tapscope-ingest-'));
  const meta = opts.meta ?? openSqliteMetaStore(join(dir, 'meta.sqlite'));
  if ((await meta.countUsers()) === 0) await meta.createUser('admin', 'x', true, Date.now());
  const telemetry = openSqliteTelemetryStore(join(dir, 'telemetry.sqlite'));
  const seeded = await seedProject(meta);
  const server = await startIngestServer({
    meta,
    telemetry,
    config: { ingest: { host: '127.0.0.1', port: 0, ...opts.ingest } },
    log: opts.log ?? silentLog,
    retentionJob: false,
  });
  return {
    dir,
    meta,
    telemetry,
    server,
    port: server.port,
    ...seeded,
    async close() {
      await server.close();
      await telemetry.close();
      await meta.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A raw protocol client for tests: send any bytes, read the collector's frames in order. */
export class FrameClient {
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024);
  private readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.decoder.push(chunk));
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<FrameClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new FrameClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(type: number, body?: unknown): void {
    this.socket.write(encodeFrame(type, body));
  }

  raw(bytes: Buffer | Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next frame as {type, body}; rejects after `ms` or when the socket closed first. */
  async next(ms = 5000): Promise<{ type: number; body: Record<string, unknown> }> {
    const deadline = Date.now() + ms;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const f = this.frames.shift()!;
    return { type: f.type, body: f.body.length ? (JSON.parse(f.body.toString('utf8')) as Record<string, unknown>) : {} };
  }

  /** Resolves when the collector closed the connection. */
  async waitClosed(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** HELLO with the given license; returns the answer frame. */
  async hello(license: string, objectName = 'shop-0-12-gunicorn', extra: Record<string, unknown> = {}) {
    this.send(FrameType.HELLO, { proto: 1, license, objectName, appName: 'shop', processName: 'gunicorn', hostname: 'web-1', ip: '10.0.0.12', pid: 4242, agentVersion: '0.1.0', pythonVersion: '3.11.2', ...extra });
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}
