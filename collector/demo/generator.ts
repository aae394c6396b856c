import type { z } from 'zod';
import type { wireCounterSchema, wireTransactionSchema } from '../../src/api/wire';
import { type Endpoint, ENDPOINTS } from './catalog';
import { encryptParams, type ParamCipher } from './paramkey';

/** What an agent sends: the wire shapes of docs/protocol.md. */
export type AgentTransaction = z.input<typeof wireTransactionSchema>;
export type AgentCounter = z.input<typeof wireCounterSchema>;
type AgentStep = NonNullable<AgentTransaction['steps']>[number];

/** mulberry32: a small seeded PRNG, so demo data and test fixtures are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  seed?: number;
  /** Encrypts SQL binds and HTTP parameters when given (as an agent with the options on). */
  cipher?: ParamCipher | null;
  /** Prefix making txids unique across generators (e.g. the agent's index). */
  txidPrefix?: string;
  endpoints?: Endpoint[];
}

const TXID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Synthetic traffic of the demo shop: transactions with SQL, HTTP-call, method and error
 * steps, log-normal latencies with slow outliers, and the 5-second counters that go with them.
 */
export class TrafficGenerator {
  private readonly rand: () => number;
  private readonly cipher: ParamCipher | null;
  private readonly endpoints: Endpoint[];
  private readonly totalWeight: number;
  private readonly prefix: string;
  private n = 0;

  constructor(opts: GeneratorOptions = {}) {
    this.rand = seededRandom(opts.seed ?? 1);
    this.cipher = opts.cipher ?? null;
    this.endpoints = opts.endpoints ?? ENDPOINTS;
    this.totalWeight = this.endpoints.reduce((s, e) => s + e.weight, 0);
    this.prefix = (opts.txidPrefix ?? '').replace(/[^0-9A-Za-z_-]/g, '').slice(0, 12);
  }

  /** A normal deviate (Box–Muller). */
  private gauss(): number {
    return Math.sqrt(-2 * Math.log(1 - this.rand())) * Math.cos(2 * Math.PI * this.rand());
  }

  /** Log-normal around the median. */
  private latency(median: number): number {
    return Math.round(median * Math.exp(0.45 * this.gauss()) * 100) / 100;
  }

  /**
   * Extra time of a rare slow transaction (a lock, a cold cache, a stuck call), added to one
   * of its steps: 2.8 % a few times slower, 1 % 3–7 s, 0.2 % over 8 s.
   */
  private outlier(ms: number): number {
    const r = this.rand();
    if (r < 0.002) return 8000 + this.rand() * 6000;
    if (r < 0.012) return 3000 + this.rand() * 4000;
    if (r < 0.04) return ms * (3 + this.rand() * 6);
    return 0;
  }

  private pick(): Endpoint {
    let r = this.rand() * this.totalWeight;
    for (const e of this.endpoints) {
      r -= e.weight;
      if (r <= 0) return e;
    }
    return this.endpoints[0]!;
  }

  private txid(): string {
    let id = this.prefix;
    for (let i = 0; i < 16; i++) id += TXID_ALPHABET[Math.floor(this.rand() * 36)];
    return id.slice(0, 32);
  }

  private envelope(value: unknown): string | null {
    return this.cipher ? encryptParams(this.cipher, value) : null;
  }

  /** One finished transaction ending at `end` (epoch ms). */
  transaction(end: number): AgentTransaction {
    const e = this.pick();
    const n = this.n++;
    const steps: AgentStep[] = [];
    let t = 0.2 + this.rand();
    let sqlTime = 0;
    let httpcTime = 0;
    const failed = e.errorRate !== undefined && this.rand() < e.errorRate;
    const slowSql = e.sql.length > 0 ? Math.floor(this.rand() * e.sql.length) : -1;
    let slow = this.outlier(e.ms);
    if (e.sql.length > 0) {
      const ms = Math.round((0.3 + this.rand()) * 100) / 100;
      steps.push({ kind: 'dbc', start: t, elapsed: ms, text: 'postgresql://db.internal:5432/shop' });
      t += ms;
    }
    for (const [k, q] of e.sql.entries()) {
      let ms = this.latency(q.ms);
      if (k === slowSql) {
        ms = round(ms + slow);
        slow = 0;
      }
      const step: AgentStep = { kind: 'sql', start: round(t), elapsed: ms, text: q.text, fetch: q.fetch ?? null };
      if (q.binds) step.params = this.envelope(q.binds(n));
      steps.push(step);
      sqlTime += ms;
      t += ms + this.rand();
    }
    if (e.httpc) {
      const ms = this.latency(e.httpc.ms);
      const down = e.httpc.failRate !== undefined && this.rand() < e.httpc.failRate;
      steps.push({ kind: 'httpc', start: round(t), elapsed: ms, text: e.httpc.url, status: down ? 503 : 200 });
      httpcTime += ms;
      t += ms;
    }
    const own = round(this.latency(e.ms) + slow);
    steps.push({ kind: 'method', start: round(t), elapsed: round(own * 0.6), text: 'shop.views:render', depth: 0 });
    if (this.rand() < 0.1) steps.push({ kind: 'message', start: round(t + own * 0.6), elapsed: 0, text: 'cache miss: product list' });
    t += own;
    if (failed && e.error) {
      steps.push({ kind: 'error', start: round(t), elapsed: 0, text: e.error.class, error: e.error.message });
    }
    const elapsed = round(t + 0.1);
    const tx: AgentTransaction = {
      txid: this.txid(),
      start: round(end - elapsed),
      end,
      elapsed,
      url: e.url,
      method: e.method,
      status: failed && e.error ? e.error.status : e.method === 'POST' ? 201 : 200,
      error:
        failed && e.error
          ? { class: e.error.class, message: e.error.message, stack: stack(e.error.class, e.error.message, e.url) }
          : null,
      clientIp: `10.1.${n % 7}.${(n * 13) % 250}`,
      userAgent: n % 3 === 0 ? 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' : 'Mozilla/5.0 (Macintosh) Safari/605.1.15',
      cpu: round(Math.min(elapsed, own * (0.3 + this.rand() * 0.5))),
      sqlCount: e.sql.length,
      sqlTime: round(sqlTime),
      httpcCount: e.httpc ? 1 : 0,
      httpcTime: round(httpcTime),
      params: e.params ? this.envelope(e.params(n)) : null,
      steps,
    };
    return tx;
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function stack(cls: string, message: string, url: string): string {
  const view = url.replace(/[^a-z]+/g, '_').replace(/^_|_$/g, '') || 'index';
  return [
    'Traceback (most recent call last):',
    '  File "/srv/shop/venv/lib/python3.11/site-packages/flask/app.py", line 880, in full_dispatch_request',
    '    rv = self.dispatch_request()',
    `  File "/srv/shop/shop/views.py", line 212, in ${view}`,
    '    return render(order)',
    `${cls}: ${message}`,
  ].join('\n');
}

/**
 * Accumulates the transactions of one app process over a 5-second window and turns them
 * into that window's counter, as the agent does.
 */
export class CounterWindow {
  private count = 0;
  private errors = 0;
  private elapsed = 0;
  private satisfied = 0;
  private tolerating = 0;
  private sqlCount = 0;
  private sqlTime = 0;
  private httpcCount = 0;
  private httpcTime = 0;
  private readonly rand: () => number;

  constructor(
    readonly pid: number,
    seed = pid,
    private readonly apdexMs = 1200,
  ) {
    this.rand = seededRandom(seed);
  }

  add(tx: AgentTransaction): void {
    this.count++;
    if (tx.error || (tx.status ?? 0) >= 500) this.errors++;
    this.elapsed += tx.elapsed;
    if (tx.elapsed <= this.apdexMs) this.satisfied++;
    else if (tx.elapsed <= 4 * this.apdexMs) this.tolerating++;
    this.sqlCount += tx.sqlCount ?? 0;
    this.sqlTime += tx.sqlTime ?? 0;
    this.httpcCount += tx.httpcCount ?? 0;
    this.httpcTime += tx.httpcTime ?? 0;
  }

  /** The counter for the window ending at `time`; resets the window. */
  take(time: number, windowMs = 5000): AgentCounter {
    const c: AgentCounter = {
      time,
      pid: this.pid,
      tps: round((this.count * 1000) / windowMs),
      txCount: this.count,
      txError: this.errors,
      respTime: this.count > 0 ? round(this.elapsed / this.count) : 0,
      activeBands: [Math.floor(this.rand() * 4), this.rand() < 0.1 ? 1 : 0, this.rand() < 0.02 ? 1 : 0],
      cpu: round(8 + this.rand() * 30 + this.count / 50),
      mem: Math.round((110 + this.rand() * 20) * 1024 * 1024),
      apdex: this.count > 0 ? round((this.satisfied + this.tolerating / 2) / this.count) : null,
      sqlCount: this.sqlCount,
      sqlTime: round(this.sqlTime),
      httpcCount: this.httpcCount,
      httpcTime: round(this.httpcTime),
      dropped: 0,
    };
    this.count = this.errors = this.elapsed = this.satisfied = this.tolerating = 0;
    this.sqlCount = this.sqlTime = this.httpcCount = this.httpcTime = 0;
    return c;
  }
}
