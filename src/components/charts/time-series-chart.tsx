import { useEffect, useRef, useState } from 'react';
import { loadEcharts, type EchartsInstance } from './load-echarts';
import { buildTimeSeriesOption, type TimeSeriesOptions } from './time-series-option';
import './charts.css';

interface TimeSeriesChartProps extends TimeSeriesOptions {
  /** Accessible name and visible caption. */
  title: string;
  height?: number;
}

/**
 * A time-series chart drawn by ECharts on canvas. ECharts is loaded lazily on first mount;
 * until then (or if it cannot load) the chart box says so instead of staying blank.
 */
export function TimeSeriesChart({ title, height = 180, ...options }: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EchartsInstance | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let disposed = false;
    const el = box.current;
    if (!el) return;
    loadEcharts()
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
  }, []);

  const { series, formatValue, formatTime, from, to, kind, stacked, yMax, step, integer, marks } = options;
  useEffect(() => {
    if (state !== 'ready' || !chart.current) return;
    const option = buildTimeSeriesOption({ series, formatValue, formatTime, from, to, kind, stacked, yMax, step, integer, marks });
    // replaceMerge keeps the user's legend toggles across refreshes while dropping vanished series.
    chart.current.setOption(option, { replaceMerge: ['series'] });
  }, [state, series, formatValue, formatTime, from, to, kind, stacked, yMax, step, integer, marks]);

  const empty = series.every((s) => s.points.length === 0);
  return (
    <figure className="chart">
      <figcaption className="chart__title">{title}</figcaption>
      <div className="chart__body" style={{ position: 'relative', height }}>
        <div ref={box} role="img" aria-label={title} style={{ position: 'absolute', inset: 0 }} />
        {state === 'loading' && <p className="chart__note">Loading chart…</p>}
        {state === 'failed' && <p className="chart__note">The chart could not be loaded. Reload the page to retry.</p>}
        {state === 'ready' && empty && <p className="chart__note">No data in this range.</p>}
      </div>
    </figure>
  );
}
