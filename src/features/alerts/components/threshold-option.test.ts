import { describe, expect, it } from 'vitest';
import { buildThresholdOption, niceCeiling } from './threshold-option';

const base = {
  formatValue: (v: number) => `${v} ms`,
  formatTime: String,
  from: 0,
  to: 600_000,
  thresholdLabel: '> 500 ms',
};

describe('threshold chart option', () => {
  it('draws the threshold as a dashed mark line on the first series only', () => {
    const option = buildThresholdOption({
      ...base,
      threshold: 500,
      series: [
        { name: 'web-1', points: [[0, 120], [60_000, 640]] },
        { name: 'web-2', points: [[0, 90], [60_000, 100]] },
      ],
    });
    const series = option.series as Array<{ name: string; markLine?: { data: Array<{ yAxis: number }>; label: { formatter: string } } }>;
    expect(series[0]!.markLine?.data).toEqual([{ yAxis: 500 }]);
    expect(series[0]!.markLine?.label.formatter).toBe('> 500 ms');
    expect(series[1]!.markLine).toBeUndefined();
  });

  it('keeps the threshold in view when every value is far below it', () => {
    const option = buildThresholdOption({ ...base, threshold: 800, series: [{ name: 'p', points: [[0, 20], [60_000, 30]] }] });
    expect((option.yAxis as { max: number }).max).toBe(1000);
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(1.3)).toBe(2);
    expect(niceCeiling(4100)).toBe(5000);
  });
});
