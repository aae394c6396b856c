import { buildTimeSeriesOption, type TimeSeriesOption, type TimeSeriesOptions } from '../../../components/charts/time-series-option';

export interface ThresholdOptions extends TimeSeriesOptions {
  /** Drawn as a dashed horizontal line with its value as canvas text. */
  threshold: number;
  thresholdLabel: string;
}

/**
 * The shared time-series option with the rule's threshold as a markLine on the first series
 * (the shared builder has no threshold; this composes it rather than changing it). The y axis
 * reaches the threshold even when every value is far below it, so the line is always in view.
 */
export function buildThresholdOption(o: ThresholdOptions): TimeSeriesOption {
  const option = buildTimeSeriesOption(o);
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  const markLine = {
    silent: true,
    symbol: 'none',
    lineStyle: { color: '#d23b45', type: 'dashed' as const, width: 1.5 },
    label: { formatter: o.thresholdLabel, position: 'insideEndTop' as const, color: '#a3222c' },
    data: [{ yAxis: o.threshold }],
  };
  const max = Math.max(o.threshold, ...o.series.flatMap((s) => s.points.map((p) => p[1] ?? 0)));
  return {
    ...option,
    yAxis: { ...(option.yAxis as object), max: o.yMax ?? niceCeiling(max * 1.1) },
    series: series.map((s, i) => (i === 0 ? { ...s, markLine } : s)) as TimeSeriesOption['series'],
  };
}

/** A round number at or above `v` (1, 2, 5 × 10^n), for the top of the axis. */
export function niceCeiling(v: number): number {
  if (!(v > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  const f = v / exp;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
}
