import { CounterWindow, TrafficGenerator } from '../collector/demo/generator';
import { wireCounterSchema, wireTransactionSchema, type WireCounter, type WireTransaction } from '../src/api/wire';
import { toCounterRecord, toTransactionRecord } from '../collector/ingest/records';
import type { MetaStore } from '../collector/store/meta-store';
import type { TelemetryStore, TransactionRecord } from '../collector/store/telemetry-store';

/*
 * The benches' synthetic agents and their telemetry, written through the store's own write path
 * as ingest would leave it (demo generator: the same seeds give the same data in every bench).
 */

export interface BenchAgent {
  id: number;
  objectName: string;
}

/** Registers `count` gunicorn agents of the app `shop` (pids 4001…), as their hello would. */
export async function registerAgents(meta: MetaStore, pcode: string, count: number, now: number): Promise<BenchAgent[]> {
  const agents: BenchAgent[] = [];
  for (let i = 1; i <= count; i++) {
    const hello = {
      objectName: `shop-0-${i}-gunicorn`,
      appName: 'shop',
      processName: 'gunicorn',
      hostname: `web-${i}`,
      ip: `10.0.${i >> 8}.${i & 255}`,
      pid: 4000 + i,
      agentVersion: '0.1.0',
      pythonVersion: '3.11.2',
    };
    const row = await meta.upsertAgent(pcode, hello, now);
    agents.push({ id: row.id, objectName: row.objectName });
  }
  return agents;
}

export type CounterRecord = ReturnType<typeof toCounterRecord>;

/**
 * The agents' 5-second counter reports: `sample(t)` answers one per agent at time `t`, each
 * agent's cumulative counters carried on from its previous sample; `load(agentIndex)` sets
 * txCount, tps, respTime and apdex.
 */
export function demoCounters(
  pcode: string,
  agents: readonly BenchAgent[],
  load: (agentIndex: number) => Partial<WireCounter>,
): (t: number) => CounterRecord[] {
  const windows = agents.map((a) => new CounterWindow(4000 + a.id, a.id));
  return (t) =>
    agents.map((a, i) =>
      toCounterRecord(
        { pcode, agentId: a.id, objectName: a.objectName },
        wireCounterSchema.parse({ ...windows[i]!.take(t), ...load(i) }),
      ),
    );
}

/** `sample(t)` every 5 s from `from` to `to` (inclusive), written `batch` records at a time. */
export async function writeDemoCounters(
  telemetry: TelemetryStore,
  sample: (t: number) => CounterRecord[],
  range: { from: number; to: number; batch: number },
): Promise<void> {
  let counters: CounterRecord[] = [];
  for (let t = range.from; t <= range.to; t += 5000) {
    counters.push(...sample(t));
    if (counters.length >= range.batch) {
      await telemetry.writeCounters(counters);
      counters = [];
    }
  }
  await telemetry.writeCounters(counters);
}

/**
 * Transactions with full profiles from `from` to `to` at `rate` tx/s across the agents in turn,
 * written as ingest does: batches of 2000, at most 8 in flight. `each` sees every one with its
 * index; answers how many were written.
 */
export async function writeDemoTransactions(
  telemetry: TelemetryStore,
  pcode: string,
  agents: readonly BenchAgent[],
  range: { from: number; to: number; rate: number },
  each?: (wire: WireTransaction, index: number) => void,
): Promise<number> {
  const gens = agents.map((a) => new TrafficGenerator({ seed: a.id, txidPrefix: `a${a.id}` }));
  const step = 1000 / range.rate;
  const writes: Promise<number>[] = [];
  let txs: TransactionRecord[] = [];
  let i = 0;
  for (let t = range.from; t < range.to; t += step, i++) {
    const a = agents[i % agents.length]!;
    const wire = wireTransactionSchema.parse(gens[i % agents.length]!.transaction(Math.round(t * 100) / 100));
    txs.push(toTransactionRecord({ pcode, agentId: a.id, objectName: a.objectName }, wire));
    each?.(wire, i);
    if (txs.length === 2000) {
      writes.push(telemetry.writeTransactions(txs));
      txs = [];
      // Keep a bounded number of batches in flight, as ingest does.
      if (writes.length >= 8) await writes.shift();
    }
  }
  writes.push(telemetry.writeTransactions(txs));
  await Promise.all(writes);
  return i;
}
