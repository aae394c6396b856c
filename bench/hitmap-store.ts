/**
 * The hitmap's real path for bench/hitmap.ts: `count` transactions written into a telemetry store
 * (SQLite, or a throw-away ClickHouse server) through its own write path, the collector's whole
 * console app (Fastify: session, membership, the hitmap route, the store's query and encoder) on
 * 127.0.0.1 (port 0), and the bench page served by that same app, so the browser's request is a
 * signed-in console request like any other.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../collector/app';
import { loadConfig } from '../collector/config';
import { seededRandom } from '../collector/demo/generator';
import { openSqliteMetaStore } from '../collector/store/sqlite/meta-store';
import type { TelemetryStore, TransactionRecord } from '../collector/store/telemetry-store';
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from '../src/api/errors';
import { apiPaths } from '../src/api/paths';
import { openBenchTelemetry } from './ingest-clickhouse';
import { registerAgents, type BenchAgent } from './demo-telemetry';

const SETUP_TOKEN = 'bench-setup-token';
const URLS = ['/', '/products', '/products/{id}', '/search', '/cart', '/checkout', '/api/orders/{id}'];
const BATCH = 5000;

export interface StoreSite {
  /** http://127.0.0.1:port */
  base: string;
  /** The session cookie's value (name `cookie.name`), for the browser. */
  cookie: { name: string; value: string };
  pcode: string;
  label: string;
  /** The collector's own answer to the page's hitmap request (app.inject, no network): ms and bytes. */
  answer(): Promise<{ ms: number; bytes: number }>;
  close(): Promise<void>;
}

/** `n` transactions over [from, to) from `agents`: log-normal times around 60 ms with a tail, 1.2 % failed. */
async function writeTransactions(telemetry: TelemetryStore, pcode: string, agents: readonly BenchAgent[], n: number, from: number, to: number) {
  const rnd = seededRandom(n);
  const writes: Promise<number>[] = [];
  let batch: TransactionRecord[] = [];
  for (let i = 0; i < n; i++) {
    const a = agents[i % agents.length]!;
    const end = from + ((to - from) * (i + rnd())) / n;
    const elapsed = Math.round(60 * Math.exp((rnd() + rnd() + rnd() - 1.5) * 1.6) * (rnd() < 0.01 ? 20 : 1));
    const failed = rnd() < 0.012;
    batch.push({
      txid: `h${i.toString(36).padStart(8, '0')}`,
      pcode,
      agentId: a.id,
      objectName: a.objectName,
      start: end - elapsed,
      end,
      elapsed,
      url: URLS[i % URLS.length]!,
      method: 'GET',
      status: failed ? 500 : 200,
      errorClass: failed ? 'ValueError' : null,
      errorMessage: failed ? 'bad id' : null,
      errorStack: null,
      clientIp: '10.0.0.1',
      userAgent: 'bench',
      cpu: 1,
      sqlCount: 0,
      sqlTime: 0,
      httpcCount: 0,
      httpcTime: 0,
      params: null,
      steps: [],
      traceId: null,
      spanId: null,
      parentSpanId: null,
    });
    if (batch.length === BATCH) {
      writes.push(telemetry.writeTransactions(batch));
      batch = [];
      if (writes.length >= 8) await writes.shift();
    }
  }
  writes.push(telemetry.writeTransactions(batch));
  await Promise.all(writes);
}

/** A console app over `store` ("sqlite" or "clickhouse") holding `count` transactions, serving `page`. */
export async function openStoreSite(
  store: 'sqlite' | 'clickhouse',
  count: number,
  range: { from: number; to: number },
  page: { html: string; js: string },
): Promise<StoreSite> {
  const dir = mkdtempSync(join(tmpdir(), 'tapscope-bench-hitmap-'));
  const pageDir = join(dir, 'page');
  mkdirSync(pageDir);
  writeFileSync(join(pageDir, 'index.html'), page.html);
  writeFileSync(join(pageDir, 'bench.js'), page.js);
  const meta = openSqliteMetaStore(join(dir, 'meta.sqlite'));
  const opened = await openBenchTelemetry(['--store', store], join(dir, 'telemetry.sqlite'));
  let app: FastifyInstance | null = null;
  try {
    app = await buildApp(
      { config: loadConfig({ TAPSCOPE_DATA_DIR: dir }), meta, telemetry: opened.telemetry },
      { logger: false, passwordLogN: 12, signInFailureDelayMs: 0, consoleDir: pageDir, setupToken: SETUP_TOKEN },
    );
    const setup = await app.inject({
      method: 'POST',
      url: apiPaths.setup,
      headers: { [CLIENT_HEADER]: CLIENT_HEADER_VALUE },
      payload: { username: 'bench', password: 'bench-password-1', token: SETUP_TOKEN },
    });
    if (setup.statusCode !== 201) throw new Error(`setup: ${setup.statusCode} ${setup.body}`);
    const [name, value] = String(setup.headers['set-cookie']).split(';')[0]!.split('=') as [string, string];
    const headers = { cookie: `${name}=${value}`, [CLIENT_HEADER]: CLIENT_HEADER_VALUE };
    const regions = await app.inject({ method: 'GET', url: apiPaths.regions, headers });
    const region = regions.json().regions[0].id as string;
    const created = await app.inject({ method: 'POST', url: apiPaths.projects, headers, payload: { name: 'Bench', region } });
    const pcode = created.json().project.pcode as string;
    const agents = await registerAgents(meta, pcode, 4, Date.now());
    const t0 = performance.now();
    await writeTransactions(opened.telemetry, pcode, agents, count, range.from, range.to);
    console.log(`${opened.label}: wrote ${count.toLocaleString('en-US')} transactions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const running = app;
    const hitmapUrl = `${apiPaths.hitmap(pcode)}?from=${range.from}&to=${range.to}&limit=2000000`;
    // ClickHouse makes a write visible a little after acknowledging it: wait (untimed) for all of them.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await running.inject({ method: 'GET', url: hitmapUrl, headers });
      const visible = res.statusCode === 200 ? res.rawPayload.readUInt32LE(4) : -1;
      if (visible === count) break;
      if (Date.now() > deadline) throw new Error(`the store shows ${visible} of the ${count} transactions written`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      base,
      cookie: { name, value },
      pcode,
      label: opened.label,
      answer: async () => {
        const t0 = performance.now();
        const res = await running.inject({ method: 'GET', url: hitmapUrl, headers });
        if (res.statusCode !== 200) throw new Error(`hitmap: ${res.statusCode} ${res.body}`);
        return { ms: performance.now() - t0, bytes: res.rawPayload.byteLength };
      },
      close: async () => {
        await running.close();
        await opened.close();
        await meta.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await app?.close();
    await opened.close();
    await meta.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
