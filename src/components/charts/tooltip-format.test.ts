import { buildTimeSeriesOption, withGaps } from './time-series-option';
import { formatAxisTooltip } from './tooltip-format';

describe('chart tooltips', () => {
  it('escapes series names, so agent-chosen names never become markup', () => {
    const html = formatAxisTooltip(
      [{ seriesName: '<img src=x onerror=alert(1)>', value: [1000, 12.5], color: '#2f6fdf' }],
      (v) => `${v} ms`,
      () => '10:00:00',
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('12.5 ms');
    expect(html.startsWith('10:00:00<br/>')).toBe(true);
  });

  it('keeps only colours that look like colours in the style attribute', () => {
    const html = formatAxisTooltip(
      [{ seriesName: 'a', value: [1, 1], color: 'red;background:url(javascript:x)' }],
      String,
      String,
    );
    expect(html).not.toContain('javascript');
  });

  it('shows a dash for gaps', () => {
    expect(formatAxisTooltip({ seriesName: 'TPS', value: [1, null] }, String, String)).toContain('<b>—</b>');
  });

  it('wires the escaping formatter into the chart option', () => {
    const option = buildTimeSeriesOption({
      series: [{ name: '"><script>', points: [[0, 1]] }],
      formatValue: String,
      formatTime: String,
      from: 0,
      to: 10,
    });
    const tooltip = option.tooltip as { formatter: (p: unknown) => string };
    expect(tooltip.formatter([{ seriesName: '"><script>', value: [0, 1] }])).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('breaks lines across silences longer than two steps', () => {
    expect(withGaps([[0, 1], [5, 2], [30, 3]], 5)).toEqual([[0, 1], [5, 2], [10, null], [30, 3]]);
    expect(withGaps([[0, 1], [5, 2]], undefined)).toEqual([[0, 1], [5, 2]]);
  });
});
