import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { formatAxisTooltip, type AxisTooltipParam } from './tooltip-format';

export type TimeSeriesOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** One line (or bar stack member) of a time-series chart; `null` values leave a gap. */
export interface ChartSeries {
  name: string;
  points: ReadonlyArray<readonly [number, number | null]>;
  color?: string;
}

export interface TimeSeriesOptions {
  series: readonly ChartSeries[];
  formatValue: (v: number) => string;
  formatTime: (t: number) => string;
  /** The window shown on the x axis, so a sparse range still shows where data is missing. */
  from: number;
  to: number;
  kind?: 'line' | 'bar';
  stacked?: boolean;
  /** Fixed top of the y axis (e.g. 1 for apdex); otherwise ECharts picks one. */
  yMax?: number;
  /** Bucket width of the data; a longer silence between two points is drawn as a gap. */
  step?: number;
  /** Counts: the y axis gets whole-number ticks only. */
  integer?: boolean;
  /** Shaded time ranges with a label (e.g. slots with dropped transactions). */
  marks?: readonly ChartMark[];
}

/** A shaded range of the x axis; its label is drawn as canvas text, never as HTML. */
export interface ChartMark {
  from: number;
  to: number;
  /** Short text drawn over the range (the page explains it in full beside the chart). */
  label: string;
}

/** The marks as an ECharts markArea (on the first series), tinted like a warning. */
function markArea(marks: readonly ChartMark[] | undefined) {
  if (!marks || marks.length === 0) return undefined;
  return {
    silent: true,
    itemStyle: { color: 'rgba(230, 140, 20, 0.16)' },
    label: { show: marks.length <= 3, position: 'insideTop' as const, color: '#8a5a00', fontSize: 10 },
    data: marks.map((m) => [{ name: m.label, xAxis: m.from }, { xAxis: m.to }] as [{ name: string; xAxis: number }, { xAxis: number }]),
  };
}

/** Inserts a null after a point followed by a silence of more than two steps, so lines break there. */
export function withGaps(
  points: ReadonlyArray<readonly [number, number | null]>,
  step: number | undefined,
): Array<[number, number | null]> {
  const out: Array<[number, number | null]> = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    out.push([p[0], p[1]]);
    const next = points[i + 1];
    if (step && next && next[0] - p[0] > 2 * step) out.push([p[0] + step, null]);
  }
  return out;
}

/** The ECharts option of a time-series chart. Pure, so it can be tested without a canvas. */
export function buildTimeSeriesOption(o: TimeSeriesOptions): TimeSeriesOption {
  const kind = o.kind ?? 'line';
  const showLegend = o.series.length > 1;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: showLegend ? 32 : 12, bottom: 8, containLabel: true },
    legend: showLegend ? { type: 'scroll', top: 0, textStyle: { fontSize: 11 } } : { show: false },
    tooltip: {
      trigger: 'axis',
      // Text from agents (series names) goes through an escaping formatter, never raw HTML.
      formatter: (params: unknown) =>
        formatAxisTooltip(params as AxisTooltipParam | AxisTooltipParam[], o.formatValue, o.formatTime),
    },
    xAxis: {
      type: 'time',
      min: o.from,
      max: o.to,
      axisLabel: { formatter: (t: number) => o.formatTime(t), hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: o.yMax,
      minInterval: o.integer ? 1 : undefined,
      axisLabel: { formatter: (v: number) => o.formatValue(v) },
    },
    series: o.series.map((s, i) => ({
      ...(i === 0 ? { markArea: markArea(o.marks) } : {}),
      ...(kind === 'bar'
        ? {
            type: 'bar' as const,
            name: s.name,
            data: s.points.map((p) => [p[0], p[1]]),
            stack: o.stacked ? 'total' : undefined,
            itemStyle: s.color ? { color: s.color } : undefined,
            barMaxWidth: 12,
          }
        : {
            type: 'line' as const,
            name: s.name,
            data: withGaps(s.points, o.step),
            stack: o.stacked ? 'total' : undefined,
            areaStyle: o.stacked ? {} : undefined,
            showSymbol: false,
            connectNulls: false,
            lineStyle: { width: 1.5 },
            itemStyle: s.color ? { color: s.color } : undefined,
          }),
    })),
  };
}
