import { toCounterSeries, type CounterPoint } from '../../../api/counters';
import { toCounterView } from '../lib/aggregate-counters';
import { withoutFillingSlot } from './live-edge';

const point = (time: number, agentId: number, tps = 10): CounterPoint => ({
  time,
  agentId,
  tps,
  txCount: tps * 5,
  txError: 0,
  respTime: 50,
  activeBands: [0, 0, 0],
  cpu: 10,
  mem: 1,
  apdex: 1,
  dropped: 0,
});
const T = 1_700_000_000_000;
const view = (points: CounterPoint[], step = 5_000) => toCounterView(toCounterSeries(points, step));
const slots = (v: ReturnType<typeof view>) => v.buckets.map((b) => b.time);

describe('the live edge of the dashboard charts', () => {
  const steady = [point(T - 10_000, 1), point(T - 10_000, 2), point(T - 5_000, 1), point(T - 5_000, 2)];

  it('leaves out the newest slot while an agent that reported the one before has not reported it', () => {
    const filling = [...steady, point(T, 1)];
    expect(slots(withoutFillingSlot(view(filling), T + 4_000))).toEqual([T - 10_000, T - 5_000]);
    // The agents' own series lose the slot too.
    expect(withoutFillingSlot(view(filling), T + 4_000).agents[0]!.cpu.map(([t]) => t)).toEqual([T - 10_000, T - 5_000]);
    // Complete: both agents are in.
    expect(slots(withoutFillingSlot(view([...filling, point(T, 2)]), T + 4_000))).toEqual([T - 10_000, T - 5_000, T]);
    // Still missing after 10 s: the agent stopped; its absence is shown, not hidden.
    expect(slots(withoutFillingSlot(view(filling), T + 10_000))).toEqual([T - 10_000, T - 5_000, T]);
  });

  it('waits a few seconds after a slot ends for its counters to arrive', () => {
    const all = [...steady, point(T, 1), point(T, 2)];
    expect(slots(withoutFillingSlot(view(all), T + 1_000))).toEqual([T - 10_000, T - 5_000]);
    expect(slots(withoutFillingSlot(view(all), T + 3_000))).toEqual([T - 10_000, T - 5_000, T]);
  });

  it('keeps roll-up buckets, which average their slots per agent', () => {
    const rolled = view([point(T - 60_000, 1), point(T - 60_000, 2), point(T, 1)], 60_000);
    expect(withoutFillingSlot(rolled, T + 1_000)).toBe(rolled);
  });
});
