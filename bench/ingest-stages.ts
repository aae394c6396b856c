/**
 * `npx tsx bench/ingest-stages.ts`: the collector's CPU per transaction in each stage of the
 * ingest path, from a TX_BATCH body to the SQLite commit, measured as process CPU time (so a
 * busy machine slows it less than the wall-clock figures of bench:ingest). It shows where the
 * CPU of `collector CPU/tx` goes and why the fast validation path exists (zod vs fast-validate).
 *
 * Options: --batch 250 --rounds 200
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrafficGenerator } from '../collector/demo/generator';
import { deriveParamCipher } from '../collector/demo/paramkey';
import { fastTransactionRecords } from '../collector/ingest/fast-validate';
import { txBatchSchema } from '../collector/ingest/messages';
import { toTransactionRecord } from '../collector/ingest/records';
import { prepareTransaction } from '../collector/store/rollup-accumulator';
import { openTelemetryDb } from '../collector/store/sqlite/telemetry-schema';
import { inlineWriter } from '../collector/store/sqlite/telemetry-writer-port';
import { fromTransactionRows, toTransactionRows } from '../collector/store/sqlite/telemetry-writer-rows';
import { option } from './cli-option';

const batch = option('batch', 250);
const rounds = option('rounds', 200);
const who = { pcode: 'aaaaaaaa', agentId: 1, objectName: 'shop-0-12-gunicorn' };

/** CPU µs per transaction of `f`, which handles one batch. */
function cpuPerTx(f: () => unknown, n = rounds): number {
  for (let i = 0; i < Math.min(20, n); i++) f();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n / batch;
}

async function main() {
  const gen = new TrafficGenerator({ seed: 5, cipher: await deriveParamCipher('BENCH2SECURITYKEY7AB') });
  let t = Date.now() - 3_600_000;
  const txs = Array.from({ length: batch }, () => gen.transaction((t += 2)));
  const body = Buffer.from(JSON.stringify({ seq: 1, txs }));
  const parsed = JSON.parse(body.toString('utf8')) as { txs: unknown[] };
  const records = fastTransactionRecords(who, parsed.txs);
  if (!records) throw new Error('the fast path declined the generator’s transactions');
  const prepared = records.map(prepareTransaction);
  const steps = records.reduce((n, r) => n + r.steps.length, 0) / batch;
  console.log(`ingest stages: batches of ${batch} generated transactions, ${(body.length / batch).toFixed(0)} bytes and ${steps.toFixed(1)} steps each`);

  const figures: Array<[string, number]> = [
    ['JSON.parse of the frame body', cpuPerTx(() => JSON.parse(body.toString('utf8')))],
    ['validate: fast path', cpuPerTx(() => fastTransactionRecords(who, parsed.txs))],
    ['validate: zod (the fast path’s fallback)', cpuPerTx(() => txBatchSchema.parse(parsed).txs.map((x) => toTransactionRecord(who, x)), Math.ceil(rounds / 10))],
    ['prepare (steps to JSON, roll-up facts)', cpuPerTx(() => records.map(prepareTransaction))],
    ['hand-over to the writer thread (clone)', cpuPerTx(() => fromTransactionRows(structuredClone(toTransactionRows(prepared))))],
    ['  the same, objects cloned as they are', cpuPerTx(() => structuredClone(prepared))],
  ];

  // The writer: inserts and roll-ups in group commits, on a fresh database.
  const dir = mkdtempSync(join(tmpdir(), 'tapscope-bench-stages-'));
  try {
    const writer = inlineWriter(openTelemetryDb(join(dir, 'telemetry.sqlite')), { compactEveryMs: 0 });
    const batches = Array.from({ length: Math.max(40, rounds) }, () =>
      fastTransactionRecords(who, JSON.parse(JSON.stringify(Array.from({ length: batch }, () => gen.transaction((t += 2))))))!.map(prepareTransaction),
    );
    for (const b of batches.slice(0, 20)) await writer.write(b, []);
    const start = process.cpuUsage();
    await Promise.all(batches.slice(20).map((b) => writer.write(b, [])));
    const used = process.cpuUsage(start);
    figures.push(['SQLite write (insert, roll-ups, commit)', (used.user + used.system) / ((batches.length - 20) * batch)]);
    await writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  for (const [what, us] of figures) console.log(`${what.padEnd(44)} ${us.toFixed(2).padStart(6)} µs/tx`);
  const [parse, fast, zod, prep, clone, , write] = figures.map(([, us]) => us);
  console.log(`before the store (parse + fast path + prepare + hand-over): ${(parse! + fast! + prep! + clone!).toFixed(1)} µs/tx; with zod instead: ${(parse! + zod! + prep! + clone!).toFixed(1)} µs/tx`);
  console.log(`store write: ${write!.toFixed(1)} µs/tx`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
