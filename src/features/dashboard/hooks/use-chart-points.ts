import { useCallback, useLayoutEffect, useState } from 'react';
import { MAX_COUNTER_POINTS } from '../../../api/counters';

/** The charts' grid (dashboard.css `.dash-charts`): columns of at least this width, this gap between them. */
const MIN_CHART_PX = 380;
const GAP_PX = 12;
/** Widths are rounded up to this, so resizing the window refetches only now and then. */
const ROUND_PX = 100;

/** The width of one chart when `width` pixels hold the charts' grid: as many columns as fit. */
export function chartWidth(width: number): number {
  const columns = Math.max(1, Math.floor((width + GAP_PX) / (MIN_CHART_PX + GAP_PX)));
  return (width - GAP_PX * (columns - 1)) / columns;
}

/**
 * How many counter buckets the dashboard's charts can show: one per pixel of a chart's width,
 * measured on the element given to the returned ref (the page, as wide as the charts' grid).
 * Null until measured; the collector's maximum where nothing can be measured (no layout).
 */
export function useChartPoints(): [ref: (el: HTMLElement | null) => void, points: number | null] {
  const [el, ref] = useState<HTMLElement | null>(null);
  const [points, setPoints] = useState<number | null>(null);
  const measure = useCallback((target: HTMLElement) => {
    const width = target.getBoundingClientRect().width;
    const px = width > 0 ? Math.ceil(chartWidth(width) / ROUND_PX) * ROUND_PX : MAX_COUNTER_POINTS;
    setPoints(Math.min(MAX_COUNTER_POINTS, px));
  }, []);
  useLayoutEffect(() => {
    if (!el) return;
    measure(el);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => measure(el));
    observer.observe(el);
    return () => observer.disconnect();
  }, [el, measure]);
  return [ref, points];
}
