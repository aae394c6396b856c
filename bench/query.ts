/**
 * `npm run bench:query`: the console's read API on the embedded SQLite store at a realistic
 * size, measured through the whole Fastify app (`app.inject`: routing, session, membership,
 * JSON) — the transaction profile (budget: p99 < 20 ms), statistics for 1 h / 1 d / 31 d (also
 * filtered by one agent), the dashboard's counter series at a chart's resolution and the agents list.
 * Budgets (issue 17): counters ≤ 200 KB and p99 ≤ 50 ms for any range, agents list p50 < 5 ms,
 * statistics of one agent over 31 days p99 < 100 ms.
 *
 * Size: 20 agents, 200 tx/s in all. A week of that is ~120M transactions, too many to
 * generate here, so the bench writes what the queries read at full size instead:
 *  - per-minute statistics roll-ups and per-minute counters for the whole week, straight into
 *    the store's tables (one row per minute, agent and key, as ingest would leave them);
 *  - raw 5-second counters for the last day and raw transactions (with profiles) for the last
 *    hour, through the store's own write path.
 *
 * The store's writer thread then folds the minute roll-ups into the hourly, daily and
 * 10-minute ones, as it does for an upgraded database; measuring starts once it has caught up.
 *
 * Options: --agents 20 --rate 200 (tx/s, all agents) --days 7 --raw-minutes 60 --profiles 2000
 *   --points 1000 (the chart width the dashboard asks counters for; 1000 is the API's maximum)
 * Lines for scripts: `counters 1d: N KB, p99 N ms`, `agents p50: N ms`, `stats 31d one agent p99: N ms`;
 * last line: `query p99: N ms` (the profile API).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../collector/app';
import { loadConfig } from '../collector/config';
import { ENDPOINTS } from '../collector/demo/catalog';
import { seededRandom } from '../collector/demo/generator';
import { addToHistogram, histogramToBlob, newHistogram } from '../collector/store/rollup-histogram';
import { httpcKey, MINUTE, ROLLUP_KIND } from '../collector/store/rollup-accumulator';
import { openSqliteMetaStore } from '../collector/store/sqlite/meta-store';
import { openSqliteTelemetryStore } from '../collector/store/sqlite/telemetry-store';
import { txidIndexFile } from '../collector/store/sqlite/telemetry-txid-index';
import type { TelemetryStore } from '../collector/store/telemetry-store';
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from '../src/api/errors';
import { apiPaths } from '../src/api/paths';
import { option } from './cli-option';
import { demoCounters, registerAgents, writeDemoCounters, writeDemoTransactions, type BenchAgent } from './demo-telemetry';

/** The bench builds its own app, so it chooses the setup token a collector would print. */
const BENCH_SETUP_TOKEN = 'bench-setup-token';
const AGENTS = option('agents', 20);
const RATE = option('rate', 200);
const DAYS = option('days', 7);
const RAW_MINUTES = option('raw-minutes', 60);
const PROFILES = option('profiles', 2000);
const POINTS = option('points', 1000);
const DAY = 86_400_000;

/** One statistics key of the demo catalog with its share of an agent's per-minute traffic. */
interface KeyModel {
  kind: number;
  key: string;
  /** Occurrences per transaction of the app. */
  perTx: number;
  errorRate: number;
  median: number;
  message: string | null;
  url: string | null;
}

/** The statistics keys the demo shop produces (URLs, SQL, HTTP calls, error classes). */
function keyModels(): KeyModel[] {
  const total = ENDPOINTS.reduce((s, e) => s + e.weight, 0);
  const keys = new Map<string, KeyModel>();
  const add = (kind: number, key: string, perTx: number, median: number, errorRate = 0, message: string | null = null, url: string | null = null) => {
    const id = `${kind}\u0000${key}`;
    const k = keys.get(id);
    if (k) k.perTx += perTx;
    else keys.set(id, { kind, key, perTx, errorRate, median, message, url });
  };
  for (const e of ENDPOINTS) {
    const share = e.weight / total;
    const sqlMs = e.sql.reduce((s, q) => s + q.ms, 0);
    add(ROLLUP_KIND.transactions, e.url, share, e.ms + sqlMs + (e.httpc?.ms ?? 0), e.errorRate ?? 0);
    for (const q of e.sql) add(ROLLUP_KIND.sql, q.text, share, q.ms);
    if (e.httpc) add(ROLLUP_KIND.httpc, httpcKey(e.httpc.url), share, e.httpc.ms, e.httpc.failRate ?? 0);
    if (e.error && e.errorRate) add(ROLLUP_KIND.errors, e.error.class, share * e.errorRate, e.ms, 1, e.error.message, e.url);
  }
  return [...keys.values()];
}

/** A latency histogram shape (log-normal around the median, like the generator), per 1 occurrence. */
function shapeOf(median: number, rand: () => number): Float64Array {
  const h = newHistogram();
  for (let i = 0; i < 4000; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    addToHistogram(h, median * Math.exp(0.45 * g));
  }
  return Float64Array.from(h, (c) => c / 4000);
}

/** Writes the week's per-minute roll-ups and counters before `rollupEnd` / `counterEnd`, directly. */
function writeSyntheticWeek(file: string, pcode: string, agentIds: number[], from: number, rollupEnd: number, counterEnd: number) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const rand = seededRandom(7);
  const models = keyModels().map((m) => ({ ...m, shape: shapeOf(m.median, rand) }));
  const insertRollup = db.prepare(`INSERT INTO rollup_1m (pcode, kind, minute, agent_id, key, count, errors, sum, min, max,
    sql_time, httpc_time, hist, message, url, last_seen, example_txid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertCounter = db.prepare(`INSERT INTO counter_1m (pcode, minute, agent_id, slots, tps_sum, tx_count, tx_error,
    resp_sum, active0_sum, active1_sum, active2_sum, cpu_sum, mem_sum, apdex_sum, apdex_weight, dropped)
    VALUES (?, ?, ?, 12, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`);
  const perMinute = (RATE / agentIds.length) * 60;
  let rows = 0;
  const hist = newHistogram();
  const writeMinutes = db.transaction((start: number, end: number) => {
    for (let minute = start; minute < end; minute += MINUTE) {
      for (const agentId of agentIds) {
        // Traffic swings ±20 % over the day, as real traffic does.
        const load = 1 + 0.2 * Math.sin((minute / DAY) * 2 * Math.PI) + 0.05 * (rand() - 0.5);
        if (minute < rollupEnd) {
          for (const m of models) {
            // Rare keys (an error class, a seldom-used URL) are missing from many minutes.
            const count = Math.floor(perMinute * m.perTx * load + rand());
            if (count === 0) continue;
            for (let b = 0; b < hist.length; b++) hist[b] = Math.round(m.shape[b]! * count);
            const errors = Math.round(count * m.errorRate);
            const sum = count * m.median * 1.1;
            insertRollup.run(pcode, m.kind, minute, agentId, m.key, count, errors, sum, m.median * 0.3, m.median * 8,
              m.kind === ROLLUP_KIND.transactions ? sum * 0.4 : 0, m.kind === ROLLUP_KIND.transactions ? sum * 0.1 : 0,
              histogramToBlob(hist), m.message, m.url, m.kind === ROLLUP_KIND.errors ? minute + 59_000 : null,
              m.kind === ROLLUP_KIND.errors ? `syn${minute.toString(36)}${agentId}` : null);
            rows++;
          }
        }
        if (minute < counterEnd) {
          const tx = perMinute * load;
          insertCounter.run(pcode, minute, agentId, (RATE / agentIds.length) * load * 12, tx, tx * 0.005, tx * 60, 24, 1, 0,
            12 * 35, 12 * 180 * 1024 * 1024, tx * 0.97, tx);
          rows++;
        }
      }
    }
  });
  const end = Math.max(rollupEnd, counterEnd);
  for (let day = from; day < end; day += DAY / 4) writeMinutes(day, Math.min(end, day + DAY / 4));
  db.close();
  return rows;
}

async function writeRaw(
  telemetry: TelemetryStore,
  pcode: string,
  agents: readonly BenchAgent[],
  now: number,
): Promise<string[]> {
  // Raw 5-second counters for the last day (the dashboard's 10 min … 1 d ranges read them).
  // Whole transactions per agent and slot: the agents share the slot's RATE × 5 as evenly as counts can.
  const perSlot = RATE * 5;
  const from = Math.floor((now - DAY) / 5000) * 5000;
  const sample = demoCounters(pcode, agents, (i) => {
    const txCount = Math.floor((perSlot * (i + 1)) / agents.length) - Math.floor((perSlot * i) / agents.length);
    return { txCount, tps: txCount / 5, respTime: 80, apdex: 0.97 };
  });
  await writeDemoCounters(telemetry, sample, { from, to: now, batch: 2000 });

  // Raw transactions with full profiles for the last minutes, at the full rate; every 97th txid is looked up.
  const txids: string[] = [];
  await writeDemoTransactions(telemetry, pcode, agents, { from: now - RAW_MINUTES * MINUTE, to: now, rate: RATE }, (wire, i) => {
    if (i % 97 === 0) txids.push(wire.txid);
  });
  return txids;
}

/** Waits until the background txid map covers every stored row (as it does on a live collector). */
async function waitForTxidIndex(file: string): Promise<void> {
  const main = new Database(file, { readonly: true });
  const index = new Database(txidIndexFile(file), { readonly: true });
  const maxId = main.prepare('SELECT max(id) FROM tx').pluck().get() as number;
  const deadline = Date.now() + 300_000;
  while ((index.prepare('SELECT id FROM watermark WHERE k = 0').pluck().get() as number) < maxId) {
    if (Date.now() > deadline) throw new Error('the txid index did not catch up within 5 min');
    await new Promise((r) => setTimeout(r, 200));
  }
  main.close();
  index.close();
}

/**
 * Waits until the writer thread has folded the week's minute roll-ups into the hourly, daily and
 * 10-minute ones, up to a few minutes before `upTo` (a live collector is never more than
 * about 2.5 min behind; a fresh bulk load of minute rows is caught up from its oldest minute).
 */
async function waitForCompaction(file: string, pcode: string, upTo: number): Promise<void> {
  const db = new Database(file, { readonly: true });
  const doneTo = () => (db.prepare('SELECT done_to FROM rollup_compaction WHERE pcode = ?').pluck().get(pcode) as number | undefined) ?? 0;
  // Per-agent statistics roll-ups double the folding; a shared, loaded machine needs the margin.
  const deadline = Date.now() + 1_800_000;
  while (doneTo() < upTo - 5 * MINUTE) {
    if (Date.now() > deadline) throw new Error('the roll-up compaction did not catch up within 30 min');
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`  coarse roll-ups cover the minutes up to ${((upTo - doneTo()) / MINUTE).toFixed(0)} min before the end of the data`);
  db.close();
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tapscope-bench-query-'));
  const file = join(dir, 'telemetry.sqlite');
  const meta = openSqliteMetaStore(join(dir, 'meta.sqlite'));
  const config = loadConfig({ TAPSCOPE_DATA_DIR: dir });
  const openApp = (telemetry: TelemetryStore) =>
    buildApp(
      { config, meta, telemetry },
      {
        logger: false,
        passwordLogN: 12,
        signInFailureDelayMs: 0,
        consoleDir: join(dir, 'no-console'),
        setupToken: BENCH_SETUP_TOKEN,
      },
    );
  // The first store and app only create the schema, the admin, the project and its agents: the
  // store's writer thread must not wait on the bulk load's long transactions, so it is closed then.
  let telemetry = openSqliteTelemetryStore(file);
  let app = await openApp(telemetry);
  try {
    const setup = await app.inject({
      method: 'POST',
      url: apiPaths.setup,
      headers: { [CLIENT_HEADER]: CLIENT_HEADER_VALUE },
      payload: { username: 'bench', password: 'bench-password-1', token: BENCH_SETUP_TOKEN },
    });
    if (setup.statusCode !== 201) throw new Error(`setup: ${setup.statusCode} ${setup.body}`);
    const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
    const headers = { cookie, [CLIENT_HEADER]: CLIENT_HEADER_VALUE };
    const regions = await app.inject({ method: 'GET', url: apiPaths.regions, headers });
    const region = regions.json().regions[0].id as string;
    const created = await app.inject({ method: 'POST', url: apiPaths.projects, headers, payload: { name: 'Bench', region } });
    const pcode = created.json().project.pcode as string;
    const now = Date.now();
    const agents = await registerAgents(meta, pcode, AGENTS, now);
    await app.close();
    await telemetry.close();

    console.log(`query bench: ${AGENTS} agents, ${RATE} tx/s in all: ${((RATE * 86_400 * DAYS) / 1e6).toFixed(0)}M transactions in ${DAYS} days.`);
    console.log(`  Too many to generate here: per-minute roll-ups and counters for ${DAYS} days at full size,`);
    console.log(`  raw 5-second counters for the last day, raw transactions with profiles for the last ${RAW_MINUTES} min.`);
    let t0 = performance.now();
    const rawFrom = Math.floor((now - RAW_MINUTES * MINUTE) / MINUTE) * MINUTE;
    const weekFrom = Math.floor((now - DAYS * DAY) / MINUTE) * MINUTE;
    const synthetic = writeSyntheticWeek(file, pcode, agents.map((a) => a.id), weekFrom, rawFrom, Math.floor((now - DAY) / 5000) * 5000);
    console.log(`  wrote ${(synthetic / 1e6).toFixed(2)}M roll-up and counter rows in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    telemetry = openSqliteTelemetryStore(file);
    app = await openApp(telemetry);
    t0 = performance.now();
    const txids = await writeRaw(telemetry, pcode, agents, now);
    await waitForTxidIndex(file);
    const raw = RATE * RAW_MINUTES * 60;
    console.log(`  wrote ${(raw / 1e6).toFixed(2)}M transactions in ${((performance.now() - t0) / 1000).toFixed(0)} s; database ${(statSync(file).size / 1e9).toFixed(2)} GB`);
    await waitForCompaction(file, pcode, now);
    console.log(`  the writer thread folded the week into hourly, daily and 10-minute roll-ups ${((performance.now() - t0) / 1000).toFixed(0)} s after the store opened`);

    /** Up to `n` requests, fewer (at least 3) when they are slow: the run stays within minutes. */
    const measure = async (label: string, n: number, url: (i: number) => string) => {
      await app.inject({ method: 'GET', url: url(0), headers });
      const times: number[] = [];
      let bytes = 0;
      const started = performance.now();
      for (let i = 0; i < n && (i < 3 || performance.now() - started < 15_000); i++) {
        const start = performance.now();
        const res = await app.inject({ method: 'GET', url: url(i), headers });
        times.push(performance.now() - start);
        if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        bytes = res.rawPayload.byteLength;
      }
      times.sort((a, b) => a - b);
      const p50 = quantile(times, 0.5);
      const p99 = quantile(times, 0.99);
      console.log(`${label.padEnd(30)} n=${String(times.length).padEnd(5)} p50 ${ms(p50).padEnd(9)} p99 ${ms(p99).padEnd(9)} max ${ms(times.at(-1)!).padEnd(9)} ${(bytes / 1024).toFixed(0)} KB`);
      return { p50, p99, kb: bytes / 1024 };
    };

    // Windows end where the data does, so "the last 30 s" holds samples however long the set-up took.
    const at = now;
    const profile = await measure('profile', PROFILES, (i) => apiPaths.transaction(pcode, txids[(i * 7919) % txids.length]!));
    for (const [name, span] of [['1h', 3_600_000], ['1d', DAY], ['31d', 31 * DAY]] as const) {
      for (const kind of ['transactions', 'sql', 'httpc', 'errors'] as const) {
        await measure(`stats ${kind} ${name}`, span > DAY ? 5 : 20, () => `${apiPaths.stats(pcode, kind)}?from=${at - span}&to=${at}`);
      }
    }
    // With an agent filter the statistics come from that agent's daily and hourly roll-ups.
    const oneAgent = await measure('stats transactions 31d 1 agent', 50, (i) =>
      `${apiPaths.stats(pcode, 'transactions')}?from=${at - 31 * DAY}&to=${at}&agent=${agents[i % agents.length]!.id}`,
    );
    // The dashboard asks for its chart's width in points (at most 1000); the live figures read the last 30 s.
    const counters = new Map<string, { p99: number; kb: number }>();
    for (const [name, span] of [['30s (live)', 30_000], ['10m', 600_000], ['1h', 3_600_000], ['6h', 6 * 3_600_000], ['1d', DAY], ['7d', 7 * DAY], ['31d', 31 * DAY]] as const) {
      counters.set(name, await measure(`dashboard counters ${name}`, 100, () => `${apiPaths.counters(pcode)}?from=${at - span}&to=${at}&points=${POINTS}`));
    }
    const agentList = await measure('agents', 200, () => apiPaths.agents(pcode));
    const worst = [...counters.values()].reduce((w, c) => ({ p99: Math.max(w.p99, c.p99), kb: Math.max(w.kb, c.kb) }), { p99: 0, kb: 0 });
    const day = counters.get('1d')!;
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`counters budget, every range: ≤ 200 KB and p99 ≤ 50 ms (largest ${worst.kb.toFixed(0)} KB, slowest p99 ${ms(worst.p99)}: ${verdict(worst.kb <= 200 && worst.p99 <= 50)})`);
    console.log(`agents budget: p50 < 5 ms (${verdict(agentList.p50 < 5)}); one agent's statistics over 31 d: p99 < 100 ms (${verdict(oneAgent.p99 < 100)})`);
    console.log(`profile API budget: p99 < 20 ms (${verdict(profile.p99 < 20)})`);
    console.log(`counters 1d: ${day.kb.toFixed(0)} KB, p99 ${day.p99.toFixed(1)} ms`);
    console.log(`agents p50: ${agentList.p50.toFixed(2)} ms`);
    console.log(`stats 31d one agent p99: ${oneAgent.p99.toFixed(1)} ms`);
    console.log(`query p99: ${profile.p99.toFixed(1)} ms`);
  } finally {
    await app.close();
    await telemetry.close();
    await meta.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
