import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterPoint } from '../../../src/api/counters';
import type { CounterRecord, TelemetryStore } from '../telemetry-store';
import { makeCounter, MIN, P, type StoreLocation, T0, type TelemetryEngine } from './fixtures';

/** One agent's expected bucket, summed from the samples written. */
interface Expected {
  slots: Set<number>;
  /** Per slot: the agent's processes summed (TPS, CPU, active transactions). */
  tps: Map<number, number>;
  cpu: Map<number, number>;
  active: Map<number, number>;
  txCount: number;
  txError: number;
  resp: number;
  apdexSum: number;
  apdexWeight: number;
  dropped: number;
}

/** What a store must answer for `step`: counts summed, gauges averaged over slots, times and apdex weighted. */
function expectedBuckets(samples: readonly CounterRecord[], from: number, to: number, step: number): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const start = Math.floor(from / step) * step;
  for (const c of samples) {
    if (c.time < start || c.time > to) continue;
    const id = `${Math.floor(c.time / step) * step}/${c.agentId}`;
    let e = out.get(id);
    if (!e) {
      e = { slots: new Set(), tps: new Map(), cpu: new Map(), active: new Map(), txCount: 0, txError: 0, resp: 0, apdexSum: 0, apdexWeight: 0, dropped: 0 };
      out.set(id, e);
    }
    e.slots.add(c.time);
    e.tps.set(c.time, (e.tps.get(c.time) ?? 0) + c.tps);
    e.cpu.set(c.time, (e.cpu.get(c.time) ?? 0) + c.cpu);
    e.active.set(c.time, (e.active.get(c.time) ?? 0) + c.activeBands[0]);
    e.txCount += c.txCount;
    e.txError += c.txError;
    e.resp += c.respTime * c.txCount;
    if (c.apdex !== null && c.txCount > 0) {
      e.apdexSum += c.apdex * c.txCount;
      e.apdexWeight += c.txCount;
    }
    e.dropped += c.dropped;
  }
  return out;
}

const mean = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0) / m.size;

function expectBuckets(points: readonly CounterPoint[], expected: Map<string, Expected>, step: number): void {
  expect(points.length).toBe(expected.size);
  for (const p of points) {
    expect(p.time % step).toBe(0);
    const e = expected.get(`${p.time}/${p.agentId}`)!;
    expect(e, `bucket ${p.time} of agent ${p.agentId}`).toBeDefined();
    expect(p.txCount).toBeCloseTo(e.txCount, 6);
    expect(p.txError).toBeCloseTo(e.txError, 6);
    expect(p.dropped).toBeCloseTo(e.dropped, 6);
    expect(p.tps).toBeCloseTo(mean(e.tps), 6);
    expect(p.cpu).toBeCloseTo(mean(e.cpu), 6);
    expect(p.activeBands[0]).toBeCloseTo(mean(e.active), 6);
    expect(p.respTime).toBeCloseTo(e.txCount > 0 ? e.resp / e.txCount : 0, 6);
    if (e.apdexWeight > 0) expect(p.apdex).toBeCloseTo(e.apdexSum / e.apdexWeight, 6);
    else expect(p.apdex).toBeNull();
  }
}

/**
 * Counters at a step the console asks for (issue 17): every engine buckets raw samples (steps
 * under a minute) and minute roll-ups (whole minutes) exactly alike. Run by sqlite.test.ts and
 * clickhouse.test.ts.
 */
export function describeCounterStepConformance(engine: TelemetryEngine): void {
  describe(`counters at an asked step: ${engine.name}`, () => {
    let location: StoreLocation<TelemetryStore>;
    let store: TelemetryStore;

    beforeEach(async () => {
      location = await engine.create();
      store = await location.open();
    });
    afterEach(async () => {
      await store.close();
    });

    // Three agents for 40 minutes; agent 1 runs two processes; values differ per slot; agent 3 is
    // silent for a while, drops some transactions and has no apdex.
    const samples: CounterRecord[] = [];
    for (let i = 0; i < 40 * 12; i++) {
      const time = T0 + i * 5000;
      const v = (k: number) => 1 + ((i * k) % 11);
      samples.push(makeCounter({ agentId: 1, pid: 10, time, tps: v(3), txCount: v(5) * 4, txError: i % 7 === 0 ? 1 : 0, respTime: 10 * v(2), cpu: v(7), activeBands: [v(4), 0, 0], apdex: 0.25 * (i % 4) }));
      samples.push(makeCounter({ agentId: 1, pid: 11, time, tps: v(2), txCount: v(3) * 2, respTime: 5 * v(5), cpu: v(3), activeBands: [v(2), 1, 0], apdex: 1 }));
      samples.push(makeCounter({ agentId: 2, time, tps: v(5), txCount: v(7), respTime: 100 + v(9), cpu: 50, activeBands: [0, 0, 0], apdex: i % 3 === 0 ? null : 0.5 }));
      if (i % 60 < 40) samples.push(makeCounter({ agentId: 3, time, tps: 1, txCount: v(4), dropped: i % 13 === 0 ? 3 : 0, apdex: null, activeBands: [2, 0, 0] }));
    }

    it('sums raw samples into buckets of an asked step under a minute', async () => {
      for (let i = 0; i < samples.length; i += 500) await store.writeCounters(samples.slice(i, i + 500));
      const from = T0 + 7 * MIN + 2500; // not aligned to anything
      const to = T0 + 31 * MIN + 1234;
      for (const step of [10_000, 15_000, 30_000]) {
        const { step: answered, points } = await store.counters(P, from, to, undefined, step);
        expect(answered).toBe(step);
        expectBuckets(points, expectedBuckets(samples, from, to, step), step);
        const one = await store.counters(P, from, to, 1, step);
        expect(one.points).toEqual(points.filter((p) => p.agentId === 1));
      }
    });

    it('sums minute roll-ups into buckets of an asked step of whole minutes', async () => {
      for (let i = 0; i < samples.length; i += 500) await store.writeCounters(samples.slice(i, i + 500));
      const from = T0 + 3 * MIN + 17_000;
      const to = T0 + 45 * MIN;
      for (const step of [MIN, 2 * MIN, 5 * MIN, 20 * MIN]) {
        const { step: answered, points } = await store.counters(P, from, to, undefined, step);
        expect(answered).toBe(step);
        expectBuckets(points, expectedBuckets(samples, from, to, step), step);
        const one = await store.counters(P, from, to, 3, step);
        expect(one.points).toEqual(points.filter((p) => p.agentId === 3));
      }
    });

    it('sums the drops of each agent over the minutes that start in a range, leaving out agents without any', async () => {
      for (let i = 0; i < samples.length; i += 500) await store.writeCounters(samples.slice(i, i + 500));
      for (const [from, to] of [
        [T0 + 5 * MIN, T0 + 25 * MIN],
        [T0 - MIN + 1, T0 + 3 * MIN + 59_000],
        [T0 - 60 * MIN, T0 + 60 * MIN],
      ] as const) {
        let expected = 0;
        for (const c of samples) {
          const minute = Math.floor(c.time / MIN) * MIN;
          if (minute >= from && minute <= to) expected += c.dropped;
        }
        expect(expected).toBeGreaterThan(0);
        expect([...(await store.droppedByAgent(P, from, to))]).toEqual([[3, expected]]);
      }
      expect((await store.droppedByAgent(P, T0 + 41 * MIN, T0 + 60 * MIN)).size).toBe(0);
    });
  });
}
