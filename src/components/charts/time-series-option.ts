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
  /** Names of series the user switched off in the legend. */
  hidden?: ReadonlySet<string>;
}

/** ECharts' default palette: the legend beside the chart shows the same colour as the line. */
const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];

/** The colour of the i-th series: its own, or the palette's. */
export function seriesColor(series: ChartSeries, index: number): string {
  return series.color ?? PALETTE[index % PALETTE.length]!;
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

type LinePoint = [number, number | null] | { value: [number, number | null]; symbolSize: number };

/** Size of the dot drawn for a value with no neighbour to join (a line of one point draws nothing). */
export const LONE_POINT_SIZE = 6;

/**
 * Gives each value that has no value on either side (the first sample after an agent starts,
 * or one between two gaps) a dot, so it shows; other values stay plain line vertices.
 */
export function withLonePoints(points: ReadonlyArray<[number, number | null]>): { data: LinePoint[]; lone: number } {
  let lone = 0;
  const data = points.map((p, i): LinePoint => {
    const alone = p[1] !== null && (points[i - 1]?.[1] ?? null) === null && (points[i + 1]?.[1] ?? null) === null;
    if (!alone) return p;
    lone++;
    return { value: p, symbolSize: LONE_POINT_SIZE };
  });
  return { data, lone };
}

/** The ECharts option of a time-series chart. Pure, so it can be tested without a canvas. */
export function buildTimeSeriesOption(o: TimeSeriesOptions): TimeSeriesOption {
  const kind = o.kind ?? 'line';
  // The legend is HTML beside the canvas (it wraps, it never pages): switched-off series are left out.
  const shown = o.series.map((s, i) => ({ ...s, color: seriesColor(s, i) })).filter((s) => !o.hidden?.has(s.name));
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
    legend: { show: false },
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
    series: shown.map((s, i) => ({
      ...(i === 0 ? { markArea: markArea(o.marks) } : {}),
      ...(kind === 'bar'
        ? {
            type: 'bar' as const,
            name: s.name,
            data: s.points.map((p) => [p[0], p[1]]),
            stack: o.stacked ? 'total' : undefined,
            itemStyle: { color: s.color },
            barMaxWidth: 12,
          }
        : lineSeries(s, o)),
    })),
  };
}

/** A line series; lone values get a dot (see withLonePoints), the others none. */
function lineSeries(s: ChartSeries & { color: string }, o: TimeSeriesOptions): LineSeriesOption {
  const { data, lone } = withLonePoints(withGaps(s.points, o.step));
  return {
    type: 'line',
    name: s.name,
    data,
    stack: o.stacked ? 'total' : undefined,
    areaStyle: o.stacked ? {} : undefined,
    // Symbols only when a lone value needs one, and then every one of them (no sampling).
    showSymbol: lone > 0,
    showAllSymbol: true,
    symbolSize: lone > 0 ? 0 : 4,
    connectNulls: false,
    lineStyle: { width: 1.5 },
    itemStyle: { color: s.color },
  };
}
