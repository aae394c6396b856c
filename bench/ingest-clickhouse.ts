/**
 * The storage side of `npm run bench:ingest -- --store clickhouse`: bench/ingest.ts opens its
 * telemetry store through openBenchTelemetry() and prints the same figures whatever the engine.
 *
 *   --store sqlite          (default) the embedded store in the bench's temp dir
 *   --store clickhouse      a throw-away ClickHouse server (Debian's clickhouse-server) on a free
 *                           port, or the one at --clickhouse-url clickhouse://user:pw@host:8123/db
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { TrafficGenerator } from '../collector/demo/generator';
import { wireTransactionSchema } from '../src/api/wire';
import { toTransactionRecord } from '../collector/ingest/records';
import { openClickHouseTelemetryStore } from '../collector/store/clickhouse/telemetry-store';
import { openSqliteTelemetryStore } from '../collector/store/sqlite/telemetry-store';
import type { CounterRecord, TelemetryStore, TransactionRecord } from '../collector/store/telemetry-store';
import { startClickHouseServer } from '../collector/testing/clickhouse-server';

export interface BenchTelemetry {
  telemetry: TelemetryStore;
  /** "SQLite" or "ClickHouse 18.16.1 (throw-away server)", for the bench's first line. */
  label: string;
  /** Closes the store and stops a server started for the bench. */
  close(): Promise<void>;
  /** Runs SQL on the ClickHouse server the bench started (sizes on disk). */
  query?(sql: string): Promise<string>;
}

/** CPU seconds (user + system) a process has used, from /proc; null where there is none. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Opens the telemetry store `--store` names (see above); `sqliteFile` is where SQLite keeps it. */
export async function openBenchTelemetry(argv: readonly string[], sqliteFile: string): Promise<BenchTelemetry> {
  const store = flag(argv, 'store') ?? 'sqlite';
  if (store === 'sqlite') {
    const telemetry = openSqliteTelemetryStore(sqliteFile);
    return { telemetry, label: 'SQLite', close: () => telemetry.close() };
  }
  if (store !== 'clickhouse') throw new Error(`--store must be "sqlite" or "clickhouse", not "${store}"`);
  const given = flag(argv, 'clickhouse-url');
  const server = given ? null : await startClickHouseServer();
  const url = given ?? server!.url(`tapscope_bench_${process.pid}`);
  try {
    const telemetry = await openClickHouseTelemetryStore(url);
    const version = server ? (await server.query('SELECT version()')).trim() : 'server at --clickhouse-url';
    const cpuStart = server ? cpuSeconds(server.pid) : null;
    const started = Date.now();
    return {
      telemetry,
      query: server ? (sql) => server.query(sql) : undefined,
      label: `ClickHouse ${version}${server ? ' (throw-away server on this machine)' : ''}`,
      close: async () => {
        await telemetry.close();
        const cpuEnd = server ? cpuSeconds(server.pid) : null;
        if (cpuStart !== null && cpuEnd !== null)
          console.log(`ClickHouse CPU:     ${((cpuEnd - cpuStart) / ((Date.now() - started) / 1000)).toFixed(2)} cores (${(cpuEnd - cpuStart).toFixed(1)} s)`);
        await server?.stop();
      },
    };
  } catch (err) {
    await server?.stop();
    throw err;
  }
}

/**
 * `npx tsx bench/ingest-clickhouse.ts [--rows 500000] [--agents 20] [--clickhouse-url URL]`:
 * the read side on ClickHouse at size, for docs/scale-out.md. Writes `--rows` transactions
 * over the last hour (and a counter per agent per 5 s) through the store's own write path,
 * then times what the console asks: the hitmap (all points, then a poll), a drag-select list,
 * profiles (p50/p99 of 200), statistics over the hour, counters and the agent list's latest.
 */
async function measureReads(): Promise<void> {
  const argv = process.argv;
  const num = (name: string, fallback: number) => Number(flag(argv, name) ?? fallback);
  const rows = num('rows', 500_000);
  const agentCount = num('agents', 20);
  const { telemetry, label, close, query } = await openBenchTelemetry([...argv, '--store', 'clickhouse'], '');
  console.log(`read bench: ${label}; ${rows.toLocaleString('en-US')} transactions of ${agentCount} agents over the last hour`);
  const pcode = 'benchpcd';
  const now = Date.now();
  const gens = Array.from({ length: agentCount }, (_, i) => new TrafficGenerator({ seed: i + 1, txidPrefix: `q${i}x` }));
  const sample: string[] = [];
  const t0 = performance.now();
  for (let done = 0; done < rows; ) {
    const writes: Array<Promise<number>> = [];
    for (let w = 0; w < 4 && done < rows; w++) {
      const batch: TransactionRecord[] = [];
      for (let i = 0; i < 5000 && done < rows; i++, done++) {
        const agent = done % agentCount;
        const wire = wireTransactionSchema.parse(gens[agent]!.transaction(now - 3_600_000 + (done / rows) * 3_600_000));
        batch.push(toTransactionRecord({ pcode, agentId: agent + 1, objectName: `bench-${agent}` }, wire));
        if (done % Math.ceil(rows / 200) === 0) sample.push(wire.txid);
      }
      writes.push(telemetry.writeTransactions(batch));
    }
    await Promise.all(writes);
  }
  const counters: CounterRecord[] = [];
  for (let t = now - 3_600_000; t < now; t += 5000)
    for (let a = 1; a <= agentCount; a++)
      counters.push({ pcode, agentId: a, pid: 1, time: t, tps: 14, txCount: 70, txError: 1, respTime: 80, activeBands: [2, 0, 0], cpu: 20, mem: 1e8, apdex: 0.98, dropped: 0 });
  await telemetry.writeCounters(counters);
  console.log(`written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Math.round(rows / ((performance.now() - t0) / 1000))} tx/s through writeTransactions)`);

  const time = async <T>(what: string, fn: () => Promise<T>, times = 5): Promise<T> => {
    const ms: number[] = [];
    let out!: T;
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      out = await fn();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    console.log(`${what.padEnd(44)} median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms`);
    return out;
  };
  const range = { from: now - 3_600_000, to: now };
  const encoded = await time('hitmap, whole hour (binary, all points)', () => telemetry.hitmapEncoded!(pcode, range));
  const cursor = new DataView(encoded.buffer, encoded.byteOffset).getFloat64(16, true);
  console.log(`  ${new DataView(encoded.buffer, encoded.byteOffset).getUint32(4, true).toLocaleString('en-US')} points, ${(encoded.byteLength / 1e6).toFixed(1)} MB`);
  await time('hitmap poll by cursor (nothing new)', () => telemetry.hitmapEncoded!(pcode, { ...range, cursor }));
  await time('drag-select list (10 min x 200-2000 ms)', () =>
    telemetry.listTransactions(pcode, { from: now - 1_800_000, to: now - 1_200_000, minElapsed: 200, maxElapsed: 2000, limit: 1000, sort: 'elapsed' }),
  );
  const profileMs: number[] = [];
  for (const txid of sample) {
    const t = performance.now();
    if (!(await telemetry.getProfile(pcode, txid))) throw new Error(`profile ${txid} not found`);
    profileMs.push(performance.now() - t);
  }
  profileMs.sort((a, b) => a - b);
  console.log(`${'profile by txid'.padEnd(44)} p50 ${profileMs[profileMs.length >> 1]!.toFixed(1)} ms, p99 ${profileMs[Math.floor(profileMs.length * 0.99)]!.toFixed(1)} ms (${profileMs.length})`);
  for (const kind of ['transactions', 'sql', 'httpc', 'errors'] as const)
    await time(`stats ${kind}, 1 h`, () => telemetry.stats(pcode, kind, range.from, range.to));
  await time('counters, 1 h raw (all agents)', () => telemetry.counters(pcode, range.from, range.to));
  await time('counters, 1 day from minute roll-ups', () => telemetry.counters(pcode, now - 86_400_000, now));
  await time('latest counter per agent', () => telemetry.latestCounters(pcode));
  if (query) {
    const sizes = await query(
      `SELECT table, sum(rows), sum(data_compressed_bytes), sum(data_uncompressed_bytes) FROM system.parts
       WHERE active AND database LIKE 'tapscope_bench_%' GROUP BY table ORDER BY table FORMAT TabSeparated`,
    );
    for (const line of sizes.trim().split('\n')) {
      const [table, n, packed, raw] = line.split('\t');
      console.log(`on disk: ${table!.padEnd(12)} ${Number(n).toLocaleString('en-US').padStart(9)} rows  ${(Number(packed) / 1e6).toFixed(1).padStart(7)} MB compressed (${(Number(raw) / Number(packed)).toFixed(1)}x), ${(Number(packed) / rows).toFixed(0)} B per transaction`);
    }
  }
  await close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureReads().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
