/**
 * `npm run bench:alerts`: one alert evaluation cycle (budget: < 500 ms of the 10 s cycle) for
 * 1,000 rules over 100 agents, on data shaped like bench:query's: the demo shop's traffic at
 * 200 tx/s in all, raw 5-second counters for the last hour and the transaction roll-ups the
 * store builds from real transactions for the last hour (written through its own write path).
 *
 * Rules: 900 per-agent rules (each over all 100 agents: 90,000 values a cycle) of every kind
 * and window (1, 5, 15, 60 min), 50 whole-project rules and 50 on one transaction name.
 * The first cycle opens the incidents of the rules whose thresholds the data breaks; the
 * following ones are the steady state. Evaluation reads the stores exactly as the collector
 * does (evaluateOnce, SQLite telemetry, meta and alert stores).
 *
 * Options: --agents 100 --rules 1000 --rate 200 (tx/s, all agents) --minutes 60 --cycles 10
 * Last line: `alerts: N ms per cycle` (the median of the steady cycles).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateOnce } from '../collector/alerts/evaluate';
import { AlertReadCache } from '../collector/alerts/read-cache';
import type { RuleSettings } from '../collector/alerts/store/alert-store';
import { openSqliteAlertStore } from '../collector/alerts/store/sqlite-alert-store';
import { ENDPOINTS } from '../collector/demo/catalog';
import { openSqliteMetaStore } from '../collector/store/sqlite/meta-store';
import { openSqliteTelemetryStore } from '../collector/store/sqlite/telemetry-store';
import type { AlertRuleKind } from '../src/api/alerts';
import { option } from './cli-option';
import { demoCounters, registerAgents, writeDemoCounters, writeDemoTransactions } from './demo-telemetry';

const AGENTS = option('agents', 100);
const RULES = option('rules', 1000);
const RATE = option('rate', 200);
const MINUTES = option('minutes', 60);
const CYCLES = option('cycles', 13);
const MINUTE = 60_000;

const KINDS: AlertRuleKind[] = [
  'error_count',
  'error_rate',
  'response_time',
  'tps_below',
  'tps_above',
  'apdex_below',
  'active_slow',
  'agent_inactive',
];
const TX_KINDS: AlertRuleKind[] = ['error_count', 'error_rate', 'response_time', 'tps_below', 'tps_above'];
const WINDOWS = [60, 300, 900, 3600];

/** Thresholds around what the demo traffic does, so some rules fire and most do not. */
function threshold(kind: AlertRuleKind, i: number): number {
  const spread = 0.5 + (i % 7) / 4; // 0.5 … 2
  switch (kind) {
    case 'error_count':
      return Math.round(5 * spread);
    case 'error_rate':
      return 2 * spread;
    case 'response_time':
      return Math.round(150 * spread);
    case 'tps_below':
      return 2 / spread;
    case 'tps_above':
      return 3 * spread;
    case 'apdex_below':
      return 0.9;
    case 'active_slow':
      return 3;
    case 'agent_inactive':
      return 60;
  }
}

function ruleAt(i: number, agentIds: number[]): RuleSettings {
  const project = i >= RULES * 0.9 && i < RULES * 0.95;
  const transaction = i >= RULES * 0.95;
  const kind = transaction ? TX_KINDS[i % TX_KINDS.length]! : KINDS[i % KINDS.length]!;
  return {
    name: `rule ${i}`,
    kind,
    stat: (['avg', 'p95', 'p99'] as const)[i % 3]!,
    minSeconds: i % 2 ? 3 : 8,
    scope: transaction
      ? { type: 'transaction', name: ENDPOINTS[i % ENDPOINTS.length]!.url }
      : project
        ? { type: 'project' }
        : { type: 'agents', agentIds },
    threshold: threshold(kind, i),
    windowSec: WINDOWS[i % WINDOWS.length]!,
    forSec: i % 5 === 0 ? 60 : 0,
    severity: (['info', 'warning', 'critical'] as const)[i % 3]!,
    channelIds: [],
    repeat: '0,1H,1D',
    enabled: true,
  };
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tapscope-bench-alerts-'));
  const meta = openSqliteMetaStore(join(dir, 'meta.sqlite'));
  const telemetry = openSqliteTelemetryStore(join(dir, 'telemetry.sqlite'));
  const store = openSqliteAlertStore(join(dir, 'alerts.sqlite'));
  try {
    const now = Math.floor(Date.now() / 5000) * 5000;
    const pcode = 'benchalr';
    const owner = await meta.createUser('bench', 'not-a-password-hash', true, now);
    await meta.createProject(
      {
        pcode,
        name: 'Bench',
        region: 'local',
        group: '',
        timezone: 'UTC',
        createdAt: now,
      },
      owner.id,
    );
    const agents = await registerAgents(meta, pcode, AGENTS, now);
    console.log(`alerts bench: ${RULES} rules over ${AGENTS} agents; ${RATE} tx/s in all for the last ${MINUTES} min`);

    let t0 = performance.now();
    const tps = RATE / agents.length;
    // The same agents report on during the evaluation cycles below.
    const sample = demoCounters(pcode, agents, (i) => ({
      txCount: Math.round(tps * 5),
      tps,
      respTime: 80 + (i % 10) * 30,
      apdex: 0.97 - (i % 10) / 50,
    }));
    await writeDemoCounters(telemetry, sample, { from: now - MINUTES * MINUTE + 5000, to: now, batch: 5000 });
    const written = await writeDemoTransactions(telemetry, pcode, agents, { from: now - MINUTES * MINUTE, to: now, rate: RATE });
    console.log(
      `  wrote ${(written / 1e6).toFixed(2)}M transactions and ${((MINUTES * 12 * AGENTS) / 1e3).toFixed(0)}k counter samples in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );

    const agentIds = agents.map((a) => a.id);
    for (let r = 0; r < RULES; r++) await store.createRule(pcode, ruleAt(r, agentIds), 'bench', now);

    // As in the collector: counter samples and long windows' roll-ups are kept between cycles.
    const deps = {
      store,
      meta,
      telemetry,
      cache: new AlertReadCache(),
      onError: (p: string, err: Error) => console.error(`  project ${p}: ${err.message}`),
    };
    const times: number[] = [];
    for (let c = 0; c < CYCLES; c++) {
      // Every 10 s, as the collector: the agents' new samples arrive, then a cycle runs.
      const at = now + c * 10_000;
      if (c > 0) {
        await telemetry.writeCounters(sample(at - 5000));
        await telemetry.writeCounters(sample(at));
      }
      t0 = performance.now();
      const result = await evaluateOnce(deps, at);
      const took = performance.now() - t0;
      times.push(took);
      if (c === 0 || c === CYCLES - 1)
        console.log(
          `  cycle ${c + 1}: ${ms(took)}; ${result.values} values of ${result.rules} rules; ${result.fired} fired, ${result.resolved} resolved`,
        );
    }
    const steady = times.slice(1).sort((a, b) => a - b);
    const median = steady[Math.floor(steady.length / 2)] ?? times[0]!;
    console.log(
      `  first cycle (opens the incidents) ${ms(times[0]!)}; steady cycles median ${ms(median)}, max ${ms(steady.at(-1) ?? median)}`,
    );
    console.log(`alert evaluation budget: < 500 ms per cycle (${median < 500 ? 'met' : 'NOT met'})`);
    console.log(`alerts: ${Math.round(median)} ms per cycle`);
  } finally {
    await store.close();
    await telemetry.close();
    await meta.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
