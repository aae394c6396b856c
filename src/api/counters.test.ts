import { counterQuerySchema, counterSeriesSchema, counterStep, MAX_COUNTER_POINTS, toCounterSeries, type CounterPoint } from './counters';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const point = (agentId: number, time: number, p: Partial<CounterPoint> = {}): CounterPoint => ({
  time,
  agentId,
  tps: 1,
  txCount: 10,
  txError: 0,
  respTime: 100,
  activeBands: [0, 0, 0],
  cpu: 10,
  mem: 1024 * 1024,
  apdex: null,
  dropped: 0,
  ...p,
});

describe('counters contract', () => {
  it('picks the smallest step that fits the asked point count, whole minutes beyond an hour', () => {
    expect(counterStep(0, HOUR, { points: 720 })).toBe(5_000);
    expect(counterStep(0, HOUR, { points: 400 })).toBe(10_000);
    expect(counterStep(0, 2 * HOUR, { points: 1000 })).toBe(MIN); // raw samples only up to an hour
    expect(counterStep(0, DAY, { points: 400 })).toBe(5 * MIN);
    expect(counterStep(0, DAY)).toBe(2 * MIN); // the default: MAX_COUNTER_POINTS
    expect(counterStep(0, 31 * DAY, { points: 400 })).toBe(2 * HOUR);
    expect(counterStep(0, 2000 * DAY, { points: 100 })).toBe(20 * DAY);
    expect(counterStep(0, DAY, { step: 30 * MIN })).toBe(30 * MIN);
    for (const span of [MIN, HOUR, 6 * HOUR, DAY, 7 * DAY, 31 * DAY]) {
      for (const points of [1, 37, 380, MAX_COUNTER_POINTS]) {
        expect(Math.ceil(span / counterStep(0, span, { points }))).toBeLessThanOrEqual(points);
      }
    }
  });

  it('reads one agent or a list, and refuses anything else', () => {
    expect(counterQuerySchema.parse({ from: '0', to: '1', agent: '7' }).agent).toEqual([7]);
    expect(counterQuerySchema.parse({ from: '0', to: '1', agent: '7,3,7' }).agent).toEqual([7, 3]);
    for (const agent of ['', 'x', '1,,2', '1;2', '-1']) {
      expect(counterQuerySchema.safeParse({ from: '0', to: '1', agent }).success, agent).toBe(false);
    }
  });

  it('sums the agents of each bucket: counts added, response time and apdex weighted by transactions', () => {
    const series = toCounterSeries(
      [
        point(1, 0, { tps: 2, txCount: 30, txError: 1, respTime: 100, apdex: 1, dropped: 4 }),
        point(2, 0, { tps: 3, txCount: 10, respTime: 300, apdex: 0.5 }),
        point(3, 0, { tps: 0, txCount: 0, respTime: 0, apdex: null }),
        point(2, 60_000, { txCount: 0, respTime: 0, cpu: 33.333, mem: 150.55 * 1024 * 1024 }),
      ],
      60_000,
    );
    expect(counterSeriesSchema.parse(series)).toEqual(series);
    expect(series.time).toEqual([0, 60_000]);
    expect(series.total).toEqual({
      agents: [3, 1],
      tps: [5, 1],
      txCount: [40, 0],
      txError: [1, 0],
      dropped: [4, 0],
      respTime: [(100 * 30 + 300 * 10) / 40, null],
      apdex: [(1 * 30 + 0.5 * 10) / 40, null],
    });
    expect(series.agents.map((a) => [a.agentId, a.cpu, a.memMib, a.drops, a.latest.time])).toEqual([
      [1, [10, null], [1, null], [[0, 4]], 0],
      [2, [10, 33.3], [1, 150.6], [], 60_000],
      [3, [10, null], [1, null], [], 0],
    ]);
    // Only the chosen agents count.
    const two = toCounterSeries([point(1, 0), point(2, 0, { txCount: 5 }), point(3, 0)], 60_000, new Set([2, 3]));
    expect(two.total.txCount).toEqual([15]);
    expect(two.agents.map((a) => a.agentId)).toEqual([2, 3]);
  });

  it('refuses an answer whose columns do not line up with its buckets', () => {
    const series = toCounterSeries([point(1, 0), point(1, 5_000)], 5_000);
    expect(counterSeriesSchema.safeParse({ ...series, total: { ...series.total, tps: [1] } }).success).toBe(false);
  });
});
