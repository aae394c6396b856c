import net from 'node:net';
import { encodeFrame, FrameDecoder, FrameType } from '../ingest/frames';
import type { AgentCounter, AgentTransaction } from './generator';

export interface AgentHelloInfo {
  objectName: string;
  appName?: string;
  processName?: string;
  hostname?: string;
  ip?: string;
  pid?: number;
  agentVersion?: string;
  pythonVersion?: string;
}

export interface Welcome {
  pcode: string;
  agentId: number;
  objectName: string;
  maxFrame: number;
  maxBatch: number;
  heartbeatMs: number;
}

/** The collector refused the handshake (REFUSE) or ended the session (ERROR). */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** The collector REJECTed a batch: invalid, not to be resent. */
export class RejectedError extends Error {
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function encodeRawFrame(type: number, json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const out = Buffer.allocUnsafe(5 + body.length);
  out.writeUInt32BE(1 + body.length, 0);
  out.writeUInt8(type, 4);
  body.copy(out, 5);
  return out;
}

interface Outstanding {
  frame: Buffer;
  sentAt: number;
  resolve(r: { stored: number; latencyMs: number }): void;
  reject(err: Error): void;
  busyTimer?: NodeJS.Timeout;
}

/**
 * A minimal agent-side client of the ingest protocol (docs/protocol.md), as the Python agent
 * behaves: HELLO, batches with seq, resend on BUSY after the delay and of everything
 * unacknowledged after a reconnect. Used by the demo, the ingest benchmark and tests.
 */
export class ProtocolAgent {
  private socket: net.Socket | null = null;
  private seq = 0;
  private readonly outstanding = new Map<number, Outstanding>();
  private welcome: Welcome | null = null;
  private closing = false;
  /** Resends caused by BUSY answers (back-pressure seen by this agent). */
  busyCount = 0;

  constructor(
    private readonly opts: {
      host: string;
      port: number;
      license: string;
      hello: AgentHelloInfo;
      /** An established session ended (not by close()); call connect() again to resume and resend. */
      onDisconnect?: () => void;
    },
  ) {}

  /** True between WELCOME and the end of that session. */
  get connected(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  get info(): Welcome | null {
    return this.welcome;
  }

  get inflight(): number {
    return this.outstanding.size;
  }

  /** Connects and shakes hands; rejects with ProtocolError on REFUSE. Resends what is unacknowledged. */
  connect(): Promise<Welcome> {
    this.closing = false;
    return new Promise<Welcome>((resolve, reject) => {
      const socket = net.connect(this.opts.port, this.opts.host);
      socket.setNoDelay(true);
      const decoder = new FrameDecoder(64 * 1024 * 1024);
      let settled = false;
      const fail = (err: Error) => {
        if (!settled) {
          settled = true;
          reject(err);
        }
      };
      socket.on('connect', () => {
        socket.write(
          encodeFrame(FrameType.HELLO, {
            proto: 1,
            license: this.opts.license,
            agentVersion: 'demo-0.1.0',
            pythonVersion: '3.11.2',
            ...this.opts.hello,
          }),
        );
      });
      socket.on('data', (chunk: Buffer) => {
        let frames;
        try {
          frames = decoder.push(chunk);
        } catch (err) {
          socket.destroy();
          return fail(err as Error);
        }
        for (const f of frames) {
          const body = f.body.length ? (JSON.parse(f.body.toString('utf8')) as Record<string, unknown>) : {};
          if (f.type === FrameType.WELCOME) {
            this.welcome = body as unknown as Welcome;
            this.socket = socket;
            settled = true;
            for (const [, o] of this.outstanding) this.write(o);
            resolve(this.welcome);
          } else if (f.type === FrameType.REFUSE || f.type === FrameType.ERROR) {
            fail(new ProtocolError(String(body.code), String(body.message)));
            socket.destroy();
          } else {
            this.onAnswer(f.type, body);
          }
        }
      });
      socket.on('error', (err) => fail(err));
      socket.on('close', () => {
        fail(new ProtocolError('closed', 'connection closed before WELCOME'));
        if (this.socket !== socket) return;
        this.socket = null;
        if (!this.closing) this.opts.onDisconnect?.();
      });
    });
  }

  private onAnswer(type: number, body: Record<string, unknown>): void {
    const seq = Number(body.seq);
    const o = this.outstanding.get(seq);
    if (!o) return;
    if (type === FrameType.ACK) {
      this.outstanding.delete(seq);
      o.resolve({ stored: Number(body.stored), latencyMs: performance.now() - o.sentAt });
    } else if (type === FrameType.REJECT) {
      this.outstanding.delete(seq);
      o.reject(new RejectedError(String(body.code), String(body.field ?? ''), String(body.message)));
    } else if (type === FrameType.BUSY) {
      this.busyCount++;
      o.busyTimer = setTimeout(() => this.write(o), Number(body.retryAfterMs) || 500);
    }
  }

  private write(o: Outstanding): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(o.frame);
  }

  private send(type: number, body: Record<string, unknown> | string): Promise<{ stored: number; latencyMs: number }> {
    const seq = ++this.seq;
    const frame =
      typeof body === 'string' ? encodeRawFrame(type, `{"seq":${seq},${body}}`) : encodeFrame(type, { seq, ...body });
    return new Promise((resolve, reject) => {
      const o: Outstanding = { frame, sentAt: performance.now(), resolve, reject };
      this.outstanding.set(seq, o);
      this.write(o);
    });
  }

  /** Sends a batch; resolves on ACK (after BUSY resends), rejects with RejectedError on REJECT. */
  sendTransactions(txs: AgentTransaction[]) {
    return this.send(FrameType.TX_BATCH, { txs });
  }

  /** The same with the transactions already serialized: `txsJson` is a JSON array (benchmarks). */
  sendTransactionsJson(txsJson: string) {
    return this.send(FrameType.TX_BATCH, `"txs":${txsJson}`);
  }

  sendCounters(counters: AgentCounter[]) {
    return this.send(FrameType.COUNTERS, { counters });
  }

  heartbeat(): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(encodeFrame(FrameType.HEARTBEAT, { time: Date.now() }));
  }

  /** Drops the connection (keeping unacknowledged batches for a later connect()). */
  disconnect(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  /** Closes for good; unacknowledged batches are rejected. */
  close(): void {
    this.closing = true;
    this.disconnect();
    for (const [seq, o] of this.outstanding) {
      if (o.busyTimer) clearTimeout(o.busyTimer);
      o.reject(new ProtocolError('closed', `batch ${seq} not acknowledged`));
    }
    this.outstanding.clear();
  }

  get closed(): boolean {
    return this.closing;
  }
}
