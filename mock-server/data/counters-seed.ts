import type { CounterPoint } from '../../src/api/counters';
import { seedAgents } from './agents';
import { seedTransactions, SEED_HISTORY_MS } from './transactions-seed';

/**
 * Counters of the mock project, computed from the seeded transactions so the dashboard, the
 * agent list and the hitmap tell the same story. A sample at `time` covers the 5 s before it;
 * its active transactions are those running at `time`.
 */
export const SAMPLE_MS = 5_000;
/** WhaTap's default `apdex_time`. */
export const APDEX_T_MS = 1_200;
/** How far past a sample to look for transactions still running at its time. */
const LOOKAHEAD_MS = 15_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Fixed at load, like the transactions seed, so the inactive agent stops at one instant. */
const EPOCH = Date.now();
const AGENTS = seedAgents(EPOCH);
/** The last instant each agent reported: now for active agents, its last-seen time otherwise. */
const stoppedAt = new Map(AGENTS.filter((a) => a.status === 'inactive').map((a) => [a.id, Date.parse(a.lastSeen)]));

/** A deterministic number in [0, 1) for (agent, time, salt). */
function noise(agentId: number, time: number, salt: number): number {
  let h = Math.imul(agentId + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.floor(time / 1000), 0xc2b2ae35) ^ salt;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return (h >>> 0) / 4_294_967_296;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * A seeded collector outage: from 40 to 38 minutes before load, agent 2's buffer was full and
 * every transaction it served in those slots was dropped (counted in `txCount` and `dropped`,
 * as the real agent counts them).
 */
export const MOCK_OUTAGE = {
  agentId: 2,
  from: Math.floor((EPOCH - 40 * MINUTE) / SAMPLE_MS) * SAMPLE_MS,
  to: Math.floor((EPOCH - 38 * MINUTE) / SAMPLE_MS) * SAMPLE_MS,
};

function droppedAt(agentId: number, time: number, txCount: number): number {
  const o = MOCK_OUTAGE;
  return agentId === o.agentId && time > o.from && time <= o.to ? txCount : 0;
}

/** Transactions an agent dropped in the samples of (from, to]; only the outage's slots can have any. */
export function mockDropped(agentId: number, from: number, to: number, now: number = Date.now()): number {
  let sum = 0;
  const first = Math.max(from, MOCK_OUTAGE.from);
  const last = Math.min(to, MOCK_OUTAGE.to, now - 1_000);
  for (let t = Math.floor(first / SAMPLE_MS) * SAMPLE_MS + SAMPLE_MS; t <= last; t += SAMPLE_MS) {
    sum += seedSample(t, now).find((p) => p.agentId === agentId)?.dropped ?? 0;
  }
  return sum;
}

function reporting(agentId: number, time: number): boolean {
  return time > EPOCH - SEED_HISTORY_MS && time <= (stoppedAt.get(agentId) ?? Infinity);
}

/** Complete samples never change, so they are computed once. */
const cache = new Map<number, CounterPoint[]>();

/**
 * The transactions ending in the 5-second window starting at `start`. Consecutive samples
 * share windows (a sample reads its own and the next three), so the last few are kept.
 */
const windows = new Map<number, ReturnType<typeof seedTransactions>>();
function windowTxs(start: number, now: number) {
  const hit = windows.get(start);
  if (hit) return hit;
  const txs = seedTransactions(start, start + SAMPLE_MS - 1, now);
  if (start + SAMPLE_MS < now - 1_000) {
    windows.set(start, txs);
    if (windows.size > 16) windows.delete(windows.keys().next().value!);
  }
  return txs;
}

/** Every agent's sample at `time` (a multiple of 5 s). */
export function seedSample(time: number, now: number = Date.now()): CounterPoint[] {
  const cached = cache.get(time);
  if (cached) return cached;
  const done = windowTxs(time - SAMPLE_MS, now);
  const running: typeof done = [];
  for (let w = time; w < time + LOOKAHEAD_MS; w += SAMPLE_MS) {
    for (const tx of windowTxs(w, now)) if (tx.start <= time) running.push(tx);
  }
  const points: CounterPoint[] = [];
  for (const agent of AGENTS) {
    if (!reporting(agent.id, time)) continue;
    let txCount = 0;
    let txError = 0;
    let sum = 0;
    let satisfied = 0;
    let tolerating = 0;
    for (const tx of done) {
      if (tx.agentId !== agent.id) continue;
      txCount++;
      if (tx.error !== null || tx.status >= 500) txError++;
      sum += tx.elapsed;
      if (tx.elapsed <= APDEX_T_MS) satisfied++;
      else if (tx.elapsed <= 4 * APDEX_T_MS) tolerating++;
    }
    const bands: [number, number, number] = [0, 0, 0];
    for (const tx of running) {
      if (tx.agentId !== agent.id) continue;
      const age = time - tx.start;
      bands[age < 3_000 ? 0 : age < 8_000 ? 1 : 2]++;
    }
    const hourWave = Math.sin(((time % DAY) / HOUR) * (Math.PI / 12));
    points.push({
      time,
      agentId: agent.id,
      tps: round(txCount / (SAMPLE_MS / 1000), 1),
      txCount,
      txError,
      respTime: txCount > 0 ? round(sum / txCount, 1) : 0,
      activeBands: bands,
      cpu: round(Math.min(95, 3 + txCount * 0.9 + 6 * noise(agent.id, time, 1)), 1),
      mem: Math.round((150 + agent.id * 14 + 6 * hourWave + 3 * noise(agent.id, time, 2)) * 1024 * 1024),
      apdex: txCount > 0 ? round((satisfied + tolerating / 2) / txCount, 3) : null,
      dropped: droppedAt(agent.id, time, txCount),
    });
  }
  // Samples close to now may still gain running transactions; only settled ones are kept.
  if (time < now - LOOKAHEAD_MS - 1_000) cache.set(time, points);
  return points;
}

/** Merges the 5-second samples of one agent into one roll-up point at `time`. */
function rollUp(time: number, samples: CounterPoint[]): CounterPoint {
  let txCount = 0;
  let txError = 0;
  let respSum = 0;
  let apdexSum = 0;
  let apdexN = 0;
  const bands: [number, number, number] = [0, 0, 0];
  let cpu = 0;
  let mem = 0;
  let dropped = 0;
  for (const s of samples) {
    dropped += s.dropped;
    txCount += s.txCount;
    txError += s.txError;
    respSum += s.respTime * s.txCount;
    if (s.apdex !== null) {
      apdexSum += s.apdex * s.txCount;
      apdexN += s.txCount;
    }
    for (let b = 0; b < 3; b++) bands[b]! += s.activeBands[b]!;
    cpu += s.cpu;
    mem += s.mem;
  }
  const n = samples.length;
  return {
    time,
    agentId: samples[0]!.agentId,
    // Per second of samples, not of the bucket: the current bucket is still filling up.
    tps: round(txCount / ((n * SAMPLE_MS) / 1000), 1),
    txCount,
    txError,
    respTime: txCount > 0 ? round(respSum / txCount, 1) : 0,
    activeBands: bands.map((b) => Math.round(b / n)) as [number, number, number],
    cpu: round(cpu / n, 1),
    mem: Math.round(mem / n),
    apdex: apdexN > 0 ? round(apdexSum / apdexN, 3) : null,
    dropped,
  };
}

/** The counters in [from, to] per agent and bucket of `step`: raw samples at 5 s, roll-ups beyond. */
export function seedCounters(from: number, to: number, step: number, agentId?: number, now: number = Date.now()): CounterPoint[] {
  const first = Math.max(from, EPOCH - SEED_HISTORY_MS);
  const last = Math.min(to, now - 1_000);
  const points: CounterPoint[] = [];
  for (let bucket = Math.floor(first / step) * step; bucket <= last; bucket += step) {
    const perAgent = new Map<number, CounterPoint[]>();
    for (let t = Math.max(bucket, Math.ceil(first / SAMPLE_MS) * SAMPLE_MS); t < bucket + step && t <= last; t += SAMPLE_MS) {
      for (const p of seedSample(t, now)) {
        if (agentId !== undefined && p.agentId !== agentId) continue;
        const list = perAgent.get(p.agentId);
        if (list) list.push(p);
        else perAgent.set(p.agentId, [p]);
      }
    }
    for (const samples of perAgent.values()) points.push(step === SAMPLE_MS ? samples[0]! : rollUp(bucket, samples));
  }
  return points;
}
