import { useEffect, useRef, useState } from 'react';
import { loadEcharts, type Echarts, type EchartsInstance } from './load-echarts';
import {
  buildTimeSeriesOption,
  seriesColor,
  type ChartSeries,
  type TimeSeriesOption,
  type TimeSeriesOptions,
} from './time-series-option';
import './charts.css';

/**
 * A chart drawn like the shared one with an option of its own (e.g. the alerts' threshold line).
 * Keep it stable between renders (useMemo): a new one redraws the chart.
 */
export interface ChartVariant {
  /** Loads ECharts with any component the option needs beyond the shared setup. */
  load: () => Promise<Echarts>;
  buildOption: (o: TimeSeriesOptions) => TimeSeriesOption;
  /** The legend only names the series (they cannot be switched off). */
  fixedLegend?: boolean;
  /** When the chart says 'No data in this range'; by default, when no series has a point. */
  isEmpty?: (series: readonly ChartSeries[]) => boolean;
}

interface TimeSeriesChartProps extends TimeSeriesOptions {
  /** Accessible name and visible caption. */
  title: string;
  height?: number;
  variant?: ChartVariant;
}

const hasNoPoint = (series: readonly ChartSeries[]) => series.every((s) => s.points.length === 0);

/**
 * A time-series chart drawn by ECharts on canvas. ECharts is loaded lazily on first mount;
 * until then (or if it cannot load) the chart box says so instead of staying blank.
 */
export function TimeSeriesChart({ title, height = 180, variant, ...options }: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EchartsInstance | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());

  const load = variant?.load ?? loadEcharts;
  const buildOption = variant?.buildOption ?? buildTimeSeriesOption;
  useEffect(() => {
    let disposed = false;
    const el = box.current;
    if (!el) return;
    load()
      .then((echarts) => {
        if (disposed) return;
        chart.current = echarts.init(el, undefined, { renderer: 'canvas' });
        setState('ready');
      })
      .catch(() => {
        if (!disposed) setState('failed');
      });
    // jsdom and old browsers have no ResizeObserver; the chart then keeps its first size.
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => chart.current?.resize());
    observer?.observe(el);
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [load]);

  const { series, formatValue, formatTime, from, to, kind, stacked, yMax, step, integer, marks } = options;
  useEffect(() => {
    if (state !== 'ready' || !chart.current) return;
    const option = buildOption({ series, formatValue, formatTime, from, to, kind, stacked, yMax, step, integer, marks, hidden });
    // replaceMerge drops the series that vanished or were switched off.
    chart.current.setOption(option, { replaceMerge: ['series'] });
  }, [state, buildOption, series, formatValue, formatTime, from, to, kind, stacked, yMax, step, integer, marks, hidden]);

  const toggle = (name: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (!next.delete(name)) next.add(name);
      return next;
    });

  const empty = (variant?.isEmpty ?? hasNoPoint)(series);
  return (
    <figure className="chart">
      <figcaption className="chart__title">{title}</figcaption>
      {series.length > 1 && (
        // Every series is listed, wrapping (and scrolling past a few lines), never paged.
        <ul className="chart__legend" aria-label={`${title}: series`}>
          {series.map((s, i) => {
            const label = (
              <>
                <span className="chart__swatch" style={{ background: seriesColor(s, i) }} aria-hidden="true" />
                <span className="chart__legend-name">{s.name}</span>
              </>
            );
            return variant?.fixedLegend ? (
              <li key={s.name} className="chart__legend-item">
                {label}
              </li>
            ) : (
              <li key={s.name}>
                <button
                  type="button"
                  className="chart__legend-item"
                  aria-pressed={!hidden.has(s.name)}
                  title={hidden.has(s.name) ? `Show ${s.name}` : `Hide ${s.name}`}
                  onClick={() => toggle(s.name)}
                >
                  {label}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="chart__body" style={{ position: 'relative', height }}>
        <div ref={box} role="img" aria-label={title} style={{ position: 'absolute', inset: 0 }} />
        {state === 'loading' && <p className="chart__note">Loading chart…</p>}
        {state === 'failed' && <p className="chart__note">The chart could not be loaded. Reload the page to retry.</p>}
        {state === 'ready' && empty && <p className="chart__note">No data in this range.</p>}
      </div>
    </figure>
  );
}
