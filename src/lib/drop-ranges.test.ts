import type { CounterPoint } from '../api/counters';
import { dropRanges, dropText } from './drop-ranges';

const point = (agentId: number, time: number, dropped: number): CounterPoint => ({
  time, agentId, tps: 0, txCount: dropped, txError: 0, respTime: 0, activeBands: [0, 0, 0], cpu: 0, mem: 0, apdex: null, dropped,
});

describe('drop ranges', () => {
  it('merges consecutive buckets of one agent and keeps agents apart', () => {
    const ranges = dropRanges(
      [point(1, 60_000, 5), point(1, 65_000, 7), point(1, 80_000, 1), point(2, 65_000, 3), point(2, 70_000, 0)],
      5_000,
    );
    // A sample at `time` covers the 5 s before it.
    expect(ranges).toEqual([
      { agentId: 1, from: 55_000, to: 65_000, count: 12 },
      { agentId: 2, from: 60_000, to: 65_000, count: 3 },
      { agentId: 1, from: 75_000, to: 80_000, count: 1 },
    ]);
  });

  it('sums the points of a coarser bucket', () => {
    expect(dropRanges([point(1, 60_000, 5), point(1, 115_000, 2)], 60_000)).toEqual([
      { agentId: 1, from: 60_000, to: 120_000, count: 7 },
    ]);
  });

  it('says how many, by whom and why', () => {
    const text = dropText({ agentId: 1, from: 0, to: 5_000, count: 1 }, 'shop-0-1-gunicorn', String);
    expect(text).toBe('1 transaction not recorded by shop-0-1-gunicorn: agent buffer full');
  });
});
