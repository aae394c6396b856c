import { type AgentHelloInfo, ProtocolAgent, RejectedError } from './agent-client';
import { type AgentCounter, type AgentTransaction, CounterWindow, TrafficGenerator } from './generator';
import { deriveParamCipher } from './paramkey';

export interface DemoAgentOptions {
  host: string;
  port: number;
  license: string;
  paramkey: string;
  hello: Required<Pick<AgentHelloInfo, 'objectName' | 'processName' | 'hostname' | 'ip' | 'pid'>> & AgentHelloInfo;
  /** Mean transactions per second. */
  tps: number;
  seed: number;
  /** Minutes of history sent right after connecting, so charts are not empty. */
  backfillMinutes?: number;
  log?: (msg: string) => void;
}

const SECOND = 1000;
const SLOT = 5000;

/**
 * One synthetic agent process: 2 app workers (pids), a transaction batch every second,
 * counters every 5 s, heartbeats, reconnects with resend — over the real TCP protocol.
 */
export class DemoAgent {
  private agent: ProtocolAgent | null = null;
  private gen: TrafficGenerator | null = null;
  private readonly windows: CounterWindow[];
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private pending: AgentTransaction[] = [];

  constructor(private readonly opts: DemoAgentOptions) {
    // The app workers are processes of their own beside the agent process (pid + 1, pid + 2).
    this.windows = [new CounterWindow(opts.hello.pid + 1, opts.seed), new CounterWindow(opts.hello.pid + 2, opts.seed + 1)];
  }

  async start(): Promise<void> {
    // One key derivation per agent process (600,000 PBKDF2 iterations), as the real agent does.
    const cipher = await deriveParamCipher(this.opts.paramkey);
    if (this.stopped) return;
    this.gen = new TrafficGenerator({ seed: this.opts.seed, cipher, txidPrefix: `d${this.opts.seed}` });
    this.agent = new ProtocolAgent({
      host: this.opts.host,
      port: this.opts.port,
      license: this.opts.license,
      hello: this.opts.hello,
      // Reconnect after a lost session; the client then resends what was not acknowledged.
      onDisconnect: () => {
        if (!this.stopped) void this.connect();
      },
    });
    await this.connect();
    if (this.opts.backfillMinutes && !this.stopped) await this.backfill(this.opts.backfillMinutes);
    if (this.stopped) return;
    this.timers.push(setInterval(() => this.tick(), SECOND));
    // Counters at each 5-s boundary, as the tracer sends them: all agents' counters of a slot
    // arrive together, so the newest slot is not drawn half-filled (a dip at the live edge).
    this.timers.push(
      setTimeout(() => {
        if (this.stopped) return;
        this.flushCounters(Math.floor(Date.now() / SLOT) * SLOT);
        this.timers.push(setInterval(() => this.flushCounters(Math.floor(Date.now() / SLOT) * SLOT), SLOT));
      }, SLOT - (Date.now() % SLOT) + 20),
    );
    this.timers.push(setInterval(() => this.agent?.heartbeat(), (this.agent?.info?.heartbeatMs ?? 10_000) / 2));
  }

  private connecting: Promise<void> | null = null;

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          await this.agent!.connect();
          return;
        } catch (err) {
          if (attempt % 10 === 0) this.opts.log?.(`${this.opts.hello.objectName}: cannot connect (${(err as Error).message}); retrying`);
          await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5))));
        }
      }
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Transactions per second now: a slow daily wave and some noise. */
  private rate(now: number): number {
    const wave = 1 + 0.35 * Math.sin((2 * Math.PI * (now % 86_400_000)) / 86_400_000);
    return this.opts.tps * wave * (0.8 + Math.random() * 0.4);
  }

  private makeSecond(secondEnd: number): AgentTransaction[] {
    const n = Math.max(0, Math.round(this.rate(secondEnd)));
    const txs: AgentTransaction[] = [];
    for (let i = 0; i < n; i++) {
      const tx = this.gen!.transaction(secondEnd - SECOND + Math.random() * SECOND);
      this.windows[i % 2]!.add(tx);
      txs.push(tx);
    }
    return txs;
  }

  private async backfill(minutes: number): Promise<void> {
    const now = Math.floor(Date.now() / SLOT) * SLOT;
    const start = now - minutes * 60_000;
    let txs: AgentTransaction[] = [];
    const counters: AgentCounter[] = [];
    for (let t = start + SECOND; t <= now; t += SECOND) {
      txs.push(...this.makeSecond(t));
      if (t % SLOT === 0) for (const w of this.windows) counters.push(w.take(t));
      if (txs.length >= 500) {
        await this.send(txs);
        txs = [];
      }
    }
    await this.send(txs);
    for (let i = 0; i < counters.length; i += 500) await this.sendCounters(counters.slice(i, i + 500));
  }

  private tick(): void {
    if (this.stopped) return;
    this.pending.push(...this.makeSecond(Date.now()));
    // Like the real agent: a bounded buffer; what does not fit while the collector is away is dropped.
    if (this.pending.length > 20_000) this.pending.splice(0, this.pending.length - 20_000);
    if (!this.agent?.connected || this.agent.inflight >= 8) return;
    const txs = this.pending;
    this.pending = [];
    void this.send(txs);
  }

  private flushCounters(time: number): void {
    if (this.stopped) return;
    void this.sendCounters(this.windows.map((w) => w.take(time)));
  }

  private async send(txs: AgentTransaction[]): Promise<void> {
    for (let i = 0; i < txs.length; i += 1000) {
      try {
        await this.agent!.sendTransactions(txs.slice(i, i + 1000));
      } catch (err) {
        this.onSendError(err);
      }
    }
  }

  private async sendCounters(counters: AgentCounter[]): Promise<void> {
    if (counters.length === 0) return;
    try {
      await this.agent!.sendCounters(counters);
    } catch (err) {
      this.onSendError(err);
    }
  }

  private onSendError(err: unknown): void {
    if (!this.stopped && err instanceof RejectedError) this.opts.log?.(`${this.opts.hello.objectName}: batch rejected: ${err.message}`);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.agent?.close();
  }
}
