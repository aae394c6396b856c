/**
 * `npm run bench:ingest`: the collector's ingest path end to end — an ingest server over a
 * fresh SQLite data directory, 8 agents in a separate process sending real protocol frames
 * over loopback at a fixed offered rate for 20 s. Prints acknowledged tx/s and the ack latency,
 * and last `ack p99: N ms` then `ingest: N tx/s`. Targets (design.md, issue 17): ≥ 50,000 tx/s
 * sustained, ack p99 < 100 ms at 25,000 offered (ClickHouse: ≥ 40,000 tx/s, ack p99 < 1.5 s).
 *
 * Options: --rate 25000 --agents 8 --batch 250 --seconds 20 --warmup 3
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startIngestServer } from '../collector/ingest/server';
import type { MetaStore } from '../collector/store/meta-store';
import { openSqliteMetaStore } from '../collector/store/sqlite/meta-store';
import { option } from './cli-option';
import { openBenchTelemetry } from './ingest-clickhouse';
import { seedProject, silentLog } from '../collector/testing/telemetry-fixtures';

const rate = option('rate', 25_000);
const agents = option('agents', 8);
const batch = option('batch', 250);
const seconds = option('seconds', 20);
const warmup = option('warmup', 3);

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tapscope-bench-ingest-'));
  const meta: MetaStore = openSqliteMetaStore(join(dir, 'meta.sqlite'));
  await meta.createUser('bench', 'x', true, Date.now());
  // `--store clickhouse` starts a temporary ClickHouse server; the default is SQLite.
  const { telemetry, label, close: closeTelemetry } = await openBenchTelemetry(process.argv, join(dir, 'telemetry.sqlite'));
  console.log(`telemetry store: ${label}`);
  const { pcode, license } = await seedProject(meta, 'Bench');
  const server = await startIngestServer({
    meta,
    telemetry,
    config: { ingest: { host: '127.0.0.1', port: 0 } },
    log: silentLog,
    retentionJob: false,
  });
  console.log(`ingest bench: ${agents} agents, offered ${rate} tx/s in batches of ${batch}, ${seconds} s (+${warmup} s warm-up)`);

  const walBytes = () => {
    try {
      return statSync(join(dir, 'telemetry.sqlite-wal')).size;
    } catch {
      return 0;
    }
  };
  const cpuStart = process.cpuUsage();
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(new URL('./ingest-agents.ts', import.meta.url)),
      JSON.stringify({ port: server.port, license, agents, rate, batch, seconds: seconds + warmup, maxInflight: 8 }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const latencies: number[] = [];
  let ackedAtWarmup = 0;
  let tAtWarmup = 0;
  let tLast = 0;
  let lastAcked = 0;
  let busy = 0;
  let skipped = 0;
  let skippedAtWarmup = 0;
  let agentCpu = Number.NaN;
  for await (const line of createInterface({ input: child.stdout })) {
    const m = JSON.parse(line) as {
      t?: number;
      acked: number;
      skipped?: number;
      busy?: number;
      latencies?: number[];
      done?: boolean;
      cpuSeconds?: number;
    };
    if (m.done) {
      agentCpu = m.cpuSeconds ?? Number.NaN;
      break;
    }
    const t = m.t ?? 0;
    tLast = t;
    if (t <= warmup + 0.5) {
      ackedAtWarmup = m.acked;
      tAtWarmup = t;
      skippedAtWarmup = m.skipped ?? 0;
    } else latencies.push(...(m.latencies ?? []));
    lastAcked = m.acked;
    busy = m.busy ?? 0;
    skipped = m.skipped ?? 0;
    const second = [...(m.latencies ?? [])].sort((a, b) => a - b);
    console.log(
      `  t=${t.toFixed(0).padStart(2)} s  acked ${m.acked.toLocaleString('en-US').padStart(9)}  ` +
        `ack p50 ${quantile(second, 0.5).toFixed(0).padStart(4)} ms p99 ${quantile(second, 0.99).toFixed(0).padStart(4)} ms  ` +
        `store backlog ${telemetry.backlog?.() ?? 0} rows  WAL ${(walBytes() / 1048576).toFixed(0)} MiB`,
    );
  }
  const cpu = process.cpuUsage(cpuStart);
  const measured = lastAcked - ackedAtWarmup;
  // Over the reports' own clock: from the last warm-up report to the last one.
  const txPerSec = Math.round(measured / Math.max(1, tLast - tAtWarmup));
  latencies.sort((a, b) => a - b);

  await server.close();
  const stored = await telemetry.listTransactions(pcode, { from: 0, to: Date.now() + 60_000, limit: 1, sort: 'end' });
  await closeTelemetry();
  await meta.close();
  rmSync(dir, { recursive: true, force: true });

  console.log(`stored rows:        ${stored.total.toLocaleString('en-US')} (acked ${lastAcked.toLocaleString('en-US')})`);
  console.log(`BUSY answers:       ${busy}; batches not sent (agent window full): ${(skipped - skippedAtWarmup) / batch}`);
  const run = seconds + warmup;
  console.log(`CPU:                collector ${((cpu.user + cpu.system) / 1e6 / run).toFixed(2)} cores, agents ${(agentCpu / run).toFixed(2)} cores`);
  console.log(`collector CPU/tx:   ${(((cpu.user + cpu.system) / Math.max(1, lastAcked))).toFixed(1)} µs`);
  console.log(`ack latency:        p50 ${quantile(latencies, 0.5).toFixed(1)} ms, max ${(latencies.at(-1) ?? Number.NaN).toFixed(1)} ms`);
  // The two figures issue 17 reads, with exact prefixes, in this order.
  console.log(`ack p99: ${quantile(latencies, 0.99).toFixed(0)} ms`);
  console.log(`ingest: ${txPerSec} tx/s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
