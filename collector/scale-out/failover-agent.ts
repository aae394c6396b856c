import net from 'node:net';
import { encodeFrame, FrameDecoder, FrameType } from '../ingest/frames';

interface Outstanding {
  frame: Buffer;
  txids: string[];
  resolve(): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

export interface FailoverAgentOptions {
  /** Ingest ports on 127.0.0.1, in the order of `whatap.server.host` (the first is preferred). */
  ports: number[];
  license: string;
  objectName: string;
  pid: number;
}

/**
 * An agent as the Python one behaves towards several collectors (docs/protocol.md): one
 * connection at a time to the first reachable host of its list; when the connection drops it
 * moves to the next host, says HELLO again and resends every batch not yet acknowledged.
 * Records which collector acknowledged which txids, so a test can check nothing acknowledged
 * was lost when that collector died.
 */
export class FailoverAgent {
  private socket: net.Socket | null = null;
  private hostIndex = 0;
  private seq = 0;
  private readonly outstanding = new Map<number, Outstanding>();
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Acknowledged txids by the ingest port that acknowledged them. */
  readonly ackedBy = new Map<number, string[]>();
  /** Connections made, as ports (a failover shows as a second port). */
  readonly connections: number[] = [];

  constructor(private readonly opts: FailoverAgentOptions) {}

  get inflight(): number {
    return this.outstanding.size;
  }

  /** Connects to the first host that answers WELCOME, trying each in turn. */
  async start(): Promise<void> {
    await this.connectAny();
    this.heartbeat = setInterval(() => this.socket?.write(encodeFrame(FrameType.HEARTBEAT, { time: Date.now() })), 1000);
  }

  private async connectAny(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      const port = this.opts.ports[this.hostIndex % this.opts.ports.length]!;
      try {
        await this.connect(port);
        return;
      } catch {
        this.hostIndex++;
        await new Promise((r) => setTimeout(r, attempt < this.opts.ports.length ? 0 : 200));
      }
    }
  }

  private connect(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const decoder = new FrameDecoder(64 * 1024 * 1024);
      let welcomed = false;
      socket.on('connect', () =>
        socket.write(
          encodeFrame(FrameType.HELLO, {
            proto: 1, license: this.opts.license, objectName: this.opts.objectName, appName: 'shop',
            processName: 'gunicorn', hostname: 'web-1', ip: '10.0.0.12', pid: this.opts.pid,
            agentVersion: '0.1.0', pythonVersion: '3.11.2',
          }),
        ),
      );
      socket.on('data', (chunk: Buffer) => {
        for (const f of decoder.push(chunk)) {
          const body = f.body.length ? (JSON.parse(f.body.toString('utf8')) as Record<string, unknown>) : {};
          if (f.type === FrameType.WELCOME) {
            welcomed = true;
            this.socket = socket;
            this.connections.push(port);
            for (const o of this.outstanding.values()) socket.write(o.frame);
            resolve();
          } else if (f.type === FrameType.REFUSE || f.type === FrameType.ERROR) {
            reject(new Error(`${String(body.code)}: ${String(body.message)}`));
          } else this.answer(port, f.type, body);
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        if (!welcomed) return reject(new Error(`connection to ${port} closed before WELCOME`));
        if (this.socket === socket) this.socket = null;
        // Fail over: the next host of the list, everything unacknowledged resent on WELCOME.
        if (!this.closed) {
          this.hostIndex++;
          void this.connectAny();
        }
      });
    });
  }

  private answer(port: number, type: number, body: Record<string, unknown>): void {
    const seq = Number(body.seq);
    const o = this.outstanding.get(seq);
    if (!o) return;
    if (type === FrameType.ACK) {
      this.outstanding.delete(seq);
      let list = this.ackedBy.get(port);
      if (!list) this.ackedBy.set(port, (list = []));
      list.push(...o.txids);
      o.resolve();
    } else if (type === FrameType.BUSY) {
      o.timer = setTimeout(() => this.socket?.write(o.frame), Number(body.retryAfterMs) || 500);
    } else if (type === FrameType.REJECT) {
      this.outstanding.delete(seq);
      o.reject(new Error(`batch ${seq} rejected: ${String(body.message)}`));
    }
  }

  /** Sends a batch; resolves when some collector acknowledged it. */
  send(type: number, key: 'txs' | 'counters', items: Array<Record<string, unknown>>): Promise<void> {
    const seq = ++this.seq;
    const frame = encodeFrame(type, { seq, [key]: items });
    const txids = key === 'txs' ? items.map((t) => String(t.txid)) : [];
    return new Promise((resolve, reject) => {
      this.outstanding.set(seq, { frame, txids, resolve, reject });
      this.socket?.write(frame);
    });
  }

  close(): void {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const o of this.outstanding.values()) if (o.timer) clearTimeout(o.timer);
    this.socket?.destroy();
  }
}
