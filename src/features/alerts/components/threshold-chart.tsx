import { useEffect, useRef, useState } from 'react';
import { loadEcharts, type EchartsInstance } from '../../../components/charts/load-echarts';
import { seriesColor } from '../../../components/charts/time-series-option';
import { buildThresholdOption, type ThresholdOptions } from './threshold-option';

/** Loads ECharts with the markLine component the threshold needs. */
async function loadWithMarkLine() {
  const [echarts] = await Promise.all([loadEcharts(), import('./mark-line-setup')]);
  return echarts;
}

/**
 * A time-series chart with a threshold line (the shared chart draws no threshold), on the
 * shared option builder and ECharts loader. Series names come from agents: they are shown in
 * the legend as text and in the tooltip through the shared escaping formatter.
 */
export function ThresholdChart({ title, height = 200, ...options }: ThresholdOptions & { title: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EchartsInstance | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let disposed = false;
    const el = box.current;
    if (!el) return;
    loadWithMarkLine()
      .then((echarts) => {
        if (disposed) return;
        chart.current = echarts.init(el, undefined, { renderer: 'canvas' });
        setState('ready');
      })
      .catch(() => {
        if (!disposed) setState('failed');
      });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => chart.current?.resize());
    observer?.observe(el);
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  const { series, formatValue, formatTime, from, to, step, marks, threshold, thresholdLabel, yMax } = options;
  useEffect(() => {
    if (state !== 'ready' || !chart.current) return;
    const option = buildThresholdOption({ series, formatValue, formatTime, from, to, step, marks, threshold, thresholdLabel, yMax });
    chart.current.setOption(option, { replaceMerge: ['series'] });
  }, [state, series, formatValue, formatTime, from, to, step, marks, threshold, thresholdLabel, yMax]);

  const empty = series.every((s) => s.points.every((p) => p[1] === null));
  return (
    <figure className="chart">
      <figcaption className="chart__title">{title}</figcaption>
      {series.length > 1 && (
        <ul className="chart__legend" aria-label={`${title}: series`}>
          {series.map((s, i) => (
            <li key={s.name} className="chart__legend-item">
              <span className="chart__swatch" style={{ background: seriesColor(s, i) }} aria-hidden="true" />
              <span className="chart__legend-name">{s.name}</span>
            </li>
          ))}
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
