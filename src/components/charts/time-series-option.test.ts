import type { LineSeriesOption } from 'echarts/charts';
import { buildTimeSeriesOption, LONE_POINT_SIZE, type ChartSeries } from './time-series-option';

const base = { formatValue: String, formatTime: String, from: 0, to: 600_000, step: 5_000 };
const lines = (series: ChartSeries[], hidden?: Set<string>) =>
  buildTimeSeriesOption({ ...base, series, hidden }).series as LineSeriesOption[];

describe('time-series option', () => {
  it('draws the only sample of a series as a dot (right after an agent starts)', () => {
    const [line] = lines([{ name: 'TPS', points: [[300_000, 4.2]] }]);
    expect(line!.showSymbol).toBe(true);
    expect(line!.data).toEqual([{ value: [300_000, 4.2], symbolSize: LONE_POINT_SIZE }]);
  });

  it('gives a dot to a value between two gaps, not to the joined ones', () => {
    const [line] = lines([
      {
        name: 'TPS',
        points: [
          [0, 1],
          [5_000, 2],
          [100_000, 3],
          [200_000, 4],
          [205_000, null],
        ],
      },
    ]);
    expect(line!.data).toEqual([
      [0, 1],
      [5_000, 2],
      [10_000, null],
      { value: [100_000, 3], symbolSize: LONE_POINT_SIZE },
      [105_000, null],
      { value: [200_000, 4], symbolSize: LONE_POINT_SIZE },
      [205_000, null],
    ]);
  });

  it('draws no dots on a continuous line', () => {
    const [line] = lines([{ name: 'TPS', points: [[0, 1], [5_000, 2], [10_000, 3]] }]);
    expect(line!.showSymbol).toBe(false);
    expect(line!.data).toEqual([[0, 1], [5_000, 2], [10_000, 3]]);
  });

  it('leaves out the series switched off in the legend, keeping each one its colour', () => {
    const series = ['a', 'b', 'c', 'd'].map((name) => ({ name, points: [[0, 1] as const] }));
    const all = lines(series);
    const some = lines(series, new Set(['b']));
    expect(some.map((s) => s.name)).toEqual(['a', 'c', 'd']);
    const colour = (list: LineSeriesOption[], name: string) => (list.find((s) => s.name === name)!.itemStyle as { color: string }).color;
    expect(colour(some, 'c')).toBe(colour(all, 'c'));
    // No paged legend on the canvas: the HTML legend lists them all.
    expect(buildTimeSeriesOption({ ...base, series }).legend).toEqual({ show: false });
  });
});
