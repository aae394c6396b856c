import type { CounterPoint } from '../../../api/counters';
import { bucketize, liveFigures, rangeTotals } from './aggregate-counters';

const point = (agentId: number, time: number, p: Partial<CounterPoint> = {}): CounterPoint => ({
  time,
  agentId,
  tps: 10,
  txCount: 50,
  txError: 0,
  respTime: 100,
  activeBands: [0, 0, 0],
  cpu: 10,
  mem: 1,
  apdex: 1,
  dropped: 0,
  ...p,
});

describe('dashboard figures', () => {
  it('sums the latest sample of each agent and weights response time by transactions', () => {
    const live = liveFigures([
      point(1, 5_000, { tps: 99 }),
      point(1, 10_000, { tps: 12, txCount: 60, respTime: 100, activeBands: [2, 1, 0] }),
      point(2, 10_000, { tps: 4, txCount: 20, respTime: 300, activeBands: [1, 0, 1] }),
    ]);
    expect(live.tps).toBe(16);
    expect(live.respTime).toBe((100 * 60 + 300 * 20) / 80);
    expect(live.activeBands).toEqual([3, 1, 1]);
    expect(live.time).toBe(10_000);
  });

  it('leaves out agents that stopped reporting', () => {
    const live = liveFigures([point(1, 30_000, { tps: 5 }), point(2, 15_000, { tps: 7 }), point(3, 20_000, { tps: 1 })]);
    expect([...live.perAgent.keys()].sort()).toEqual([1, 3]);
    expect(live.tps).toBe(6);
  });

  it('has no response time when nothing finished', () => {
    expect(liveFigures([point(1, 0, { txCount: 0 })]).respTime).toBeNull();
  });

  it('totals errors and weights apdex by transactions, skipping empty samples', () => {
    const t = rangeTotals([
      point(1, 0, { txCount: 90, txError: 2, apdex: 1 }),
      point(2, 0, { txCount: 10, txError: 1, apdex: 0.5 }),
      point(3, 0, { txCount: 0, apdex: null }),
    ]);
    expect(t).toEqual({ txCount: 100, dropped: 0, errors: 3, apdex: 0.95 });
  });

  it('buckets agents together without counting a doubled sample twice', () => {
    const b = bucketize(
      [point(1, 1_000, { tps: 10 }), point(1, 3_000, { tps: 20 }), point(2, 2_000, { tps: 5, txError: 4 })],
      5_000,
    );
    expect(b).toHaveLength(1);
    expect(b[0]!.time).toBe(0);
    expect(b[0]!.tps).toBe(20);
    expect(b[0]!.errors).toBe(4);
  });
});
