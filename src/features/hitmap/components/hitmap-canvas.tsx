/**
 * HitmapCanvas — a canvas scatter of transactions (x = end time, y = elapsed), with density
 * colours, errors in warm colours on top, zone-aware axes, drag-to-select and a hover count.
 * Cost follows the number of pixels, not points: 1,000,000 points draw in tens of ms.
 *
 * Usage (a small live hitmap, e.g. on the dashboard):
 *
 *   const stream = useHitmapStream({ pcode, live: true, windowMs: 10 * 60_000 });
 *   <HitmapCanvas buffer={stream.buffer} version={stream.version}
 *                 from={stream.from} to={stream.to} timeZone={project.timezone} height={180} />
 *
 * (live-hitmap-card.tsx does exactly that for the dashboard).
 *
 * Props:
 *   buffer     HitmapBuffer   the points (typed arrays); mutate it and bump `version` to redraw
 *   version    number         redraw trigger (pass buffer.version after appending)
 *   from, to   number         x range, epoch ms
 *   timeZone   string         IANA zone for the time labels (the project's)
 *   yMax       'auto'|number  elapsed axis maximum, ms (default 'auto')
 *   yScale     'linear'|'log' elapsed axis scale (default 'linear'; hitmap-scale.ts)
 *   filter     {agentId?, errorsOnly?}  points to show (applied while drawing, no refetch)
 *   height     number         CSS px (default 320); width follows the container
 *   selection  HitmapSelection|null  rectangle to show (data coordinates)
 *   onSelect   (sel|null) => void    enables drag-select; a click without a drag clears (null)
 *   onDraw     (result) => void      after each draw: points in view, y max used, draw time
 *   onDragChange (dragging) => void  a drag starts (pointer down) or ends: a live view pauses meanwhile
 *   label      string         accessible name of the chart
 *   bands      {from, to}[]    time ranges shaded behind the points (e.g. where an agent dropped transactions)
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type PointerEvent } from 'react';
import type { HitmapBuffer, HitmapPointFilter } from '../lib/hitmap-buffer';
import type { HitmapSelection } from '../lib/hitmap-bins';
import { HitmapRenderer, PLOT_MARGIN, type DrawResult } from '../lib/hitmap-renderer';
import { elapsedLabel } from '../lib/hitmap-axes';
import { elapsedToFraction, fractionToElapsed, type YScale } from '../lib/hitmap-scale';
import { timeLabel } from '../../../lib/time-format';
import { formatCount } from '../../../lib/format';

export interface HitmapCanvasProps {
  buffer: HitmapBuffer;
  version: number;
  from: number;
  to: number;
  timeZone: string;
  yMax?: 'auto' | number;
  yScale?: YScale;
  filter?: HitmapPointFilter;
  height?: number;
  selection?: HitmapSelection | null;
  onSelect?: (sel: HitmapSelection | null) => void;
  onDraw?: (result: DrawResult) => void;
  onDragChange?: (dragging: boolean) => void;
  label?: string;
  bands?: ReadonlyArray<{ from: number; to: number }>;
}

interface Drag {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Hover {
  x: number;
  y: number;
  text: string;
}

const clamp = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);

export function HitmapCanvas(props: HitmapCanvasProps) {
  const { buffer, version, from, to, timeZone, yMax = 'auto', yScale = 'linear', filter, height = 320, selection, onSelect, onDraw } = props;
  const { onDragChange } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLCanvasElement>(null);
  const pointsRef = useRef<HTMLCanvasElement>(null);
  const rendererRef = useRef<HitmapRenderer | null>(null);
  const [width, setWidth] = useState(0);
  const [drawn, setDrawn] = useState<DrawResult | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const onDrawRef = useRef(onDraw);
  onDrawRef.current = onDraw;

  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const measure = () => setWidth(Math.floor(el.getBoundingClientRect().width) || el.clientWidth || 800);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const agentId = filter?.agentId;
  const errorsOnly = filter?.errorsOnly;
  useEffect(() => {
    const grid = gridRef.current;
    const points = pointsRef.current;
    if (!grid || !points || width <= 0) return;
    rendererRef.current ??= new HitmapRenderer(grid, points);
    const result = rendererRef.current.draw(buffer, {
      from,
      to,
      yMax,
      yScale,
      timeZone,
      filter: { agentId, errorsOnly },
      cssWidth: width,
      cssHeight: height,
      dpr: typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1,
    });
    setDrawn(result);
    onDrawRef.current?.(result);
  }, [buffer, version, from, to, yMax, yScale, timeZone, agentId, errorsOnly, width, height]);

  const plot = drawn?.plot ?? {
    left: PLOT_MARGIN.left,
    top: PLOT_MARGIN.top,
    width: Math.max(10, width - PLOT_MARGIN.left - PLOT_MARGIN.right),
    height: Math.max(10, height - PLOT_MARGIN.top - PLOT_MARGIN.bottom),
  };
  const view = drawn?.view;

  const toPlot = useCallback(
    (e: PointerEvent<HTMLDivElement>) => {
      const r = e.currentTarget.getBoundingClientRect();
      return { x: clamp(e.clientX - r.left, 0, plot.width), y: clamp(e.clientY - r.top, 0, plot.height) };
    },
    [plot.width, plot.height],
  );

  const toSelection = (d: Drag): HitmapSelection | null => {
    if (!view) return null;
    const span = view.to - view.from;
    const xa = Math.min(d.x0, d.x1);
    const xb = Math.max(d.x0, d.x1);
    const ya = Math.min(d.y0, d.y1);
    const yb = Math.max(d.y0, d.y1);
    const elapsedAt = (y: number) => fractionToElapsed((plot.height - y) / plot.height, view.yMax, view.yScale);
    const sel: HitmapSelection = {
      from: Math.floor(view.from + (xa / plot.width) * span),
      to: Math.ceil(view.from + (xb / plot.width) * span),
      minElapsed: yb >= plot.height - 1 ? 0 : Math.max(0, Math.floor(elapsedAt(yb))),
    };
    // Touching the top edge takes the pinned outliers too: no upper bound.
    if (ya > 1) sel.maxElapsed = Math.ceil(elapsedAt(ya));
    return sel;
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (!onSelect || e.button !== 0) return;
    e.currentTarget.setPointerCapture?.(e.pointerId);
    const p = toPlot(e);
    setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
    setHover(null);
    onDragChange?.(true);
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const p = toPlot(e);
    if (drag) {
      setDrag({ ...drag, x1: p.x, y1: p.y });
      return;
    }
    const counts = rendererRef.current?.countsAt(p.x, p.y);
    if (!view || !counts) return;
    const t = view.from + (p.x / plot.width) * (view.to - view.from);
    const el = fractionToElapsed((plot.height - p.y) / plot.height, view.yMax, view.yScale);
    const n = counts.normal + counts.errors;
    const what = n === 0 ? 'no transactions' : `${formatCount(n, 'transaction')}${counts.errors ? `, ${formatCount(counts.errors, 'error')}` : ''}`;
    setHover({ x: p.x, y: p.y, text: `${timeLabel(t, timeZone, true)} · ${elapsedLabel(el)} · ${what}` });
  };

  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag || !onSelect) return;
    const p = toPlot(e);
    const d = { ...drag, x1: p.x, y1: p.y };
    setDrag(null);
    // Select first, then end the pause: a live view turns into the range the drag was made on.
    if (Math.abs(d.x1 - d.x0) < 3 && Math.abs(d.y1 - d.y0) < 3) onSelect(null);
    else onSelect(toSelection(d));
    onDragChange?.(false);
  };

  const onPointerCancel = () => {
    if (!drag) return;
    setDrag(null);
    onDragChange?.(false);
  };

  // The rectangle: the live drag, else the selection prop mapped into this view.
  let rect: { left: number; top: number; width: number; height: number } | null = null;
  if (drag) {
    rect = {
      left: Math.min(drag.x0, drag.x1),
      top: Math.min(drag.y0, drag.y1),
      width: Math.abs(drag.x1 - drag.x0),
      height: Math.abs(drag.y1 - drag.y0),
    };
  } else if (selection && view) {
    const span = view.to - view.from;
    const x0 = clamp(((selection.from - view.from) / span) * plot.width, 0, plot.width);
    const x1 = clamp(((selection.to - view.from) / span) * plot.width, 0, plot.width);
    const yOf = (ms: number) => clamp(plot.height - elapsedToFraction(ms, view.yMax, view.yScale) * plot.height, 0, plot.height);
    const yTop = selection.maxElapsed === undefined ? 0 : yOf(selection.maxElapsed);
    const yBottom = yOf(selection.minElapsed);
    if (x1 > x0) rect = { left: x0, top: yTop, width: Math.max(1, x1 - x0), height: Math.max(1, yBottom - yTop) };
  }

  return (
    <div ref={wrapRef} className="hitmap-canvas" style={{ position: 'relative', width: '100%', height, userSelect: 'none' }}>
      <canvas ref={gridRef} style={{ position: 'absolute', left: 0, top: 0 }} aria-hidden="true" />
      {view &&
        props.bands?.map((b) => {
          const span = view.to - view.from;
          const x0 = clamp(((b.from - view.from) / span) * plot.width, 0, plot.width);
          const x1 = clamp(((b.to - view.from) / span) * plot.width, 0, plot.width);
          if (x1 <= x0) return null;
          return (
            <div
              key={`${b.from}:${b.to}`}
              data-testid="hitmap-band"
              aria-hidden="true"
              style={{
                position: 'absolute',
                left: plot.left + x0,
                top: plot.top,
                width: Math.max(2, x1 - x0),
                height: plot.height,
                background: 'rgba(230, 140, 20, 0.18)',
                pointerEvents: 'none',
              }}
            />
          );
        })}
      <canvas
        ref={pointsRef}
        role="img"
        aria-label={`${props.label ?? 'Hitmap'}: ${formatCount(drawn?.inView ?? 0, 'transaction')}, ${formatCount(drawn?.errorsInView ?? 0, 'error')}`}
        style={{ position: 'absolute', left: plot.left, top: plot.top }}
      />
      <div
        data-testid="hitmap-plot"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerCancel}
        onPointerLeave={() => setHover(null)}
        style={{
          position: 'absolute',
          left: plot.left,
          top: plot.top,
          width: plot.width,
          height: plot.height,
          cursor: onSelect ? 'crosshair' : 'default',
          touchAction: 'none',
        }}
      >
        {rect && (
          <div
            data-testid="hitmap-selection"
            style={{
              position: 'absolute',
              ...rect,
              border: '1px solid #1f6feb',
              background: 'rgba(31, 111, 235, 0.12)',
              pointerEvents: 'none',
            }}
          />
        )}
        {hover && !drag && (
          <div
            role="tooltip"
            style={{
              position: 'absolute',
              left: Math.min(hover.x + 12, Math.max(0, plot.width - 260)),
              top: Math.max(0, hover.y - 30),
              background: 'rgba(20, 24, 31, 0.88)',
              color: '#fff',
              font: '12px system-ui, sans-serif',
              padding: '3px 6px',
              borderRadius: 4,
              whiteSpace: 'nowrap',
              pointerEvents: 'none',
            }}
          >
            {hover.text}
          </div>
        )}
      </div>
    </div>
  );
}
