/**
 * The load side of `npm run bench:ingest`, run as its own process so the agents do not
 * share the collector's event loop: N agents over real sockets, each sending batches at a
 * fixed rate (open loop) with a bounded number in flight, as the Python agent does.
 * Prints one JSON line per second with what was acknowledged and the ack latencies.
 */
import { ProtocolAgent } from '../collector/demo/agent-client';
import { type AgentTransaction, TrafficGenerator } from '../collector/demo/generator';
import { deriveParamCipher } from '../collector/demo/paramkey';

interface Args {
  port: number;
  license: string;
  agents: number;
  rate: number;
  batch: number;
  seconds: number;
  maxInflight: number;
}

const args = JSON.parse(process.argv[2]!) as Args;

const TXID = 'TXIDTXIDTXIDTXID';
const START = 1111111111111.25;
const END = 2222222222222.25;

/**
 * Serialized transactions with holes for txid, start and end: the load generator must cost
 * little CPU next to the collector it measures (the transactions themselves are the real
 * generator's, parameters encrypted, taken from a pool).
 */
class TemplatePool {
  private readonly parts: string[][] = [];
  private readonly elapsed: number[] = [];
  private n = 0;
  private next = 0;

  constructor(
    gen: TrafficGenerator,
    private readonly prefix: string,
    size = 2000,
  ) {
    for (let i = 0; i < size; i++) {
      const tx: AgentTransaction = { ...gen.transaction(0), txid: TXID, start: START, end: END };
      const text = JSON.stringify(tx);
      const parts = text.split(new RegExp(`${TXID}|${START}|${END}`.replace(/\./g, '\\.')));
      if (parts.length !== 4) throw new Error('unexpected transaction layout');
      this.parts.push(parts);
      this.elapsed.push(tx.elapsed);
    }
  }

  /** A JSON array of `count` transactions ending at `end`. */
  batch(count: number, end: number): string {
    let out = '[';
    for (let i = 0; i < count; i++) {
      const k = this.next++ % this.parts.length;
      const p = this.parts[k]!;
      const txid = this.prefix + (this.n++).toString(36).padStart(10, '0');
      out += (i ? ',' : '') + p[0] + txid + p[1] + (end - this.elapsed[k]!) + p[2] + end + p[3];
    }
    return out + ']';
  }
}

async function main() {
  // One key derivation, as one agent process would do; each agent encrypts with it.
  const cipher = await deriveParamCipher('BENCH2SECURITYKEY7AB');
  const agents = await Promise.all(
    Array.from({ length: args.agents }, async (_, i) => {
      const a = new ProtocolAgent({
        host: '127.0.0.1',
        port: args.port,
        license: args.license,
        hello: { objectName: `bench-${i}`, appName: 'bench', processName: 'gunicorn', pid: 1000 + i },
      });
      await a.connect();
      return { a, pool: new TemplatePool(new TrafficGenerator({ seed: i + 1, cipher }), `b${i}x`) };
    }),
  );
  let acked = 0;
  let skipped = 0;
  let latencies: number[] = [];
  const perAgentRate = args.rate / args.agents;
  const intervalMs = (args.batch / perAgentRate) * 1000;
  const started = performance.now();
  const timers = agents.map(({ a, pool }, i) => {
    let next = started + (intervalMs * i) / args.agents;
    const tick = () => {
      const now = performance.now();
      // Catch up on missed ticks, but never exceed the in-flight bound (the agent would buffer or drop).
      while (next <= now) {
        next += intervalMs;
        if (a.inflight >= args.maxInflight) {
          skipped += args.batch;
          continue;
        }
        a.sendTransactionsJson(pool.batch(args.batch, Date.now())).then(
          (r) => {
            acked += args.batch;
            latencies.push(r.latencyMs);
          },
          () => {},
        );
      }
      timer = setTimeout(tick, Math.max(0, next - performance.now()));
    };
    let timer = setTimeout(tick, 0);
    return () => clearTimeout(timer);
  });
  const report = setInterval(() => {
    process.stdout.write(
      `${JSON.stringify({ t: (performance.now() - started) / 1000, acked, skipped, busy: agents.reduce((s, x) => s + x.a.busyCount, 0), latencies })}\n`,
    );
    latencies = [];
  }, 1000);
  setTimeout(() => {
    for (const stop of timers) stop();
    clearInterval(report);
    for (const { a } of agents) a.close();
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ done: true, acked, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
    process.exit(0);
  }, args.seconds * 1000);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench agents failed: ${String(err)}\n`);
  process.exit(1);
});
