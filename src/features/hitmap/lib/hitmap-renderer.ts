import type { HitmapBuffer, HitmapPointFilter } from './hitmap-buffer';
import { binPoints, elapsedQuantile, maxElapsedIn, type HitmapBins, type HitmapView } from './hitmap-bins';
import { autoYMax, elapsedTicks, logElapsedTicks, niceCeil, timeTicks } from './hitmap-axes';
import { elapsedToFraction, type YScale } from './hitmap-scale';
import { paintBins } from './hitmap-paint';

/** Margins around the plot area, CSS px: room for the elapsed labels (left) and time labels (bottom). */
export const PLOT_MARGIN = { left: 58, right: 14, top: 10, bottom: 24 } as const;

export interface DrawRequest {
  from: number;
  to: number;
  /** 'auto' = fit the slowest point in view. */
  yMax: number | 'auto';
  /** Linear (default) or log elapsed axis. */
  yScale?: YScale;
  timeZone: string;
  filter?: HitmapPointFilter;
  /** Whole widget size, CSS px. */
  cssWidth: number;
  cssHeight: number;
  dpr: number;
  /** Dot size in device px (default: 3 at dpr 1, scaled by dpr). */
  dot?: number;
}

export interface DrawResult {
  view: HitmapView;
  inView: number;
  errorsInView: number;
  /** Plot area, CSS px, relative to the widget. */
  plot: { left: number; top: number; width: number; height: number };
  ms: number;
}

/**
 * Draws a hitmap with two stacked canvases: `grid` (axes, labels, grid lines — text drawn
 * with fillText, so trace data can never become markup) and `points` (the plot area only,
 * painted with one putImageData). Either context may be missing (jsdom); counting still works.
 */
export class HitmapRenderer {
  private bins: HitmapBins | undefined;
  private last: DrawResult | undefined;

  constructor(
    private readonly grid: HTMLCanvasElement,
    private readonly points: HTMLCanvasElement,
  ) {}

  draw(buf: HitmapBuffer, req: DrawRequest): DrawResult {
    const t0 = performance.now();
    const plot = {
      left: PLOT_MARGIN.left,
      top: PLOT_MARGIN.top,
      width: Math.max(10, req.cssWidth - PLOT_MARGIN.left - PLOT_MARGIN.right),
      height: Math.max(10, req.cssHeight - PLOT_MARGIN.top - PLOT_MARGIN.bottom),
    };
    const yScale = req.yScale ?? 'linear';
    // A log axis has room for the slowest point: nothing needs pinning to the top edge.
    const yMax =
      req.yMax === 'auto' && yScale === 'log'
        ? niceCeil(Math.max(100, maxElapsedIn(buf, req.from, req.to, req.filter) * 1.05))
        : req.yMax === 'auto'
          ? autoYMax(
              maxElapsedIn(buf, req.from, req.to, req.filter),
              elapsedQuantile(buf, req.from, req.to, 0.995, req.filter),
            )
          : Math.max(1, req.yMax);
    const view: HitmapView = { from: req.from, to: req.to, yMax, yScale };
    const dpr = req.dpr > 0 ? req.dpr : 1;
    const w = Math.max(1, Math.round(plot.width * dpr));
    const h = Math.max(1, Math.round(plot.height * dpr));
    this.bins = binPoints(buf, view, w, h, req.filter, this.bins);

    const pctx = sizeCanvas(this.points, w, h, plot.width, plot.height);
    if (pctx) {
      const image = pctx.createImageData(w, h);
      paintBins(image.data, this.bins, req.dot ?? Math.max(2, Math.round(3 * dpr)));
      pctx.putImageData(image, 0, 0);
    }
    const gctx = sizeCanvas(
      this.grid,
      Math.round(req.cssWidth * dpr),
      Math.round(req.cssHeight * dpr),
      req.cssWidth,
      req.cssHeight,
    );
    if (gctx) drawAxes(gctx, dpr, plot, view, req.timeZone);
    this.last = {
      view,
      inView: this.bins.inView,
      errorsInView: this.bins.errorsInView,
      plot,
      ms: performance.now() - t0,
    };
    return this.last;
  }

  /** Counts under a point of the plot (CSS px relative to the plot), for the hover tooltip. */
  countsAt(x: number, y: number, radiusCss = 2): { normal: number; errors: number } | null {
    const bins = this.bins;
    const last = this.last;
    if (!bins || !last) return null;
    const kx = bins.width / last.plot.width;
    const ky = bins.height / last.plot.height;
    const cx = Math.floor(x * kx);
    const cy = Math.floor(y * ky);
    const r = Math.ceil(radiusCss * kx);
    let normal = 0;
    let errors = 0;
    for (let yy = Math.max(0, cy - r); yy <= Math.min(bins.height - 1, cy + r); yy++) {
      for (let xx = Math.max(0, cx - r); xx <= Math.min(bins.width - 1, cx + r); xx++) {
        normal += bins.normal[yy * bins.width + xx]!;
        errors += bins.errors[yy * bins.width + xx]!;
      }
    }
    return { normal, errors };
  }
}

function sizeCanvas(c: HTMLCanvasElement, w: number, h: number, cssW: number, cssH: number) {
  if (c.width !== w) c.width = w;
  if (c.height !== h) c.height = h;
  c.style.width = `${cssW}px`;
  c.style.height = `${cssH}px`;
  // jsdom has no 2D canvas and complains loudly when asked; counting works without one.
  if (typeof navigator !== 'undefined' && navigator.userAgent.includes('jsdom')) return null;
  try {
    return c.getContext('2d');
  } catch {
    return null; // jsdom without the canvas package
  }
}

function drawAxes(
  ctx: CanvasRenderingContext2D,
  dpr: number,
  plot: DrawResult['plot'],
  view: HitmapView,
  timeZone: string,
) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(plot.left, plot.top, plot.width, plot.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;

  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const ticks = view.yScale === 'log' ? logElapsedTicks(view.yMax, plot.height) : elapsedTicks(view.yMax, plot.height);
  for (const t of ticks) {
    const y = Math.round(plot.top + plot.height - elapsedToFraction(t.value, view.yMax, view.yScale) * plot.height) + 0.5;
    ctx.strokeStyle = '#eceff3';
    ctx.beginPath();
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.left + plot.width, y);
    ctx.stroke();
    ctx.fillStyle = '#5b6472';
    ctx.fillText(t.label, plot.left - 6, Math.min(Math.max(y, plot.top + 5), plot.top + plot.height - 5));
  }

  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const span = view.to - view.from;
  for (const t of timeTicks(view.from, view.to, plot.width, timeZone)) {
    const x = Math.round(plot.left + ((t.value - view.from) / span) * plot.width) + 0.5;
    ctx.strokeStyle = '#eceff3';
    ctx.beginPath();
    ctx.moveTo(x, plot.top);
    ctx.lineTo(x, plot.top + plot.height);
    ctx.stroke();
    ctx.fillStyle = '#5b6472';
    // Keep edge labels inside the widget instead of cutting them off.
    const half = ctx.measureText(t.label).width / 2;
    const lx = Math.min(Math.max(x, half + 2), plot.left + plot.width + PLOT_MARGIN.right - half - 2);
    ctx.fillText(t.label, lx, plot.top + plot.height + 6);
  }

  ctx.strokeStyle = '#b9c0cb';
  ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width - 1, plot.height - 1);
}
