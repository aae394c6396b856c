import { toCounterSeries, type CounterPoint } from '../../../api/counters';
import { liveFigures, rangeTotals, toCounterView } from './aggregate-counters';

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
const view = (points: CounterPoint[], step = 5_000) => toCounterView(toCounterSeries(points, step));

describe('dashboard figures', () => {
  it('sums the latest sample of each agent and weights response time by transactions', () => {
    const live = liveFigures(
      view([
        point(1, 5_000, { tps: 99 }),
        point(1, 10_000, { tps: 12, txCount: 60, respTime: 100, activeBands: [2, 1, 0] }),
        point(2, 10_000, { tps: 4, txCount: 20, respTime: 300, activeBands: [1, 0, 1] }),
      ]).agents,
    );
    expect(live.tps).toBe(16);
    expect(live.respTime).toBe((100 * 60 + 300 * 20) / 80);
    expect(live.activeBands).toEqual([3, 1, 1]);
    expect(live.time).toBe(10_000);
  });

  it('leaves out agents that stopped reporting', () => {
    const live = liveFigures(view([point(1, 30_000, { tps: 5 }), point(2, 15_000, { tps: 7 }), point(3, 20_000, { tps: 1 })]).agents);
    expect([...live.perAgent.keys()].sort()).toEqual([1, 3]);
    expect(live.tps).toBe(6);
  });

  it('has no response time when nothing finished', () => {
    expect(liveFigures(view([point(1, 0, { txCount: 0 })]).agents).respTime).toBeNull();
  });

  it('totals errors and weights apdex by transactions, skipping empty samples', () => {
    const t = rangeTotals(
      view([
        point(1, 0, { txCount: 90, txError: 2, apdex: 1 }),
        point(2, 5_000, { txCount: 10, txError: 1, apdex: 0.5 }),
        point(3, 10_000, { txCount: 0, apdex: null }),
      ]).buckets,
    );
    expect(t).toEqual({ txCount: 100, dropped: 0, errors: 3, apdex: 0.95 });
  });

  it('reads the columns as buckets and per-agent series, gaps left out', () => {
    const v = view([point(1, 0, { cpu: 12.34, mem: 3 * 1024 * 1024 }), point(2, 0), point(2, 60_000, { cpu: 50 })], 60_000);
    expect(v.buckets.map((b) => [b.time, b.agents, b.txCount])).toEqual([
      [0, 2, 100],
      [60_000, 1, 50],
    ]);
    expect(v.agents.map((a) => [a.agentId, a.cpu, a.memMib, a.latest.time])).toEqual([
      [1, [[0, 12.3]], [[0, 3]], 0],
      [2, [[0, 10], [60_000, 50]], [[0, 0], [60_000, 0]], 60_000],
    ]);
  });
});
