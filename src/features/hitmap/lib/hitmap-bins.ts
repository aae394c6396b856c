import { HITMAP_FLAG_ERROR } from '../../../api/hitmap';
import type { HitmapBuffer, HitmapPointFilter } from './hitmap-buffer';
import type { YScale } from './hitmap-scale';

/** The data window a hitmap shows: x = end time (epoch ms), y = elapsed from 0 to yMax (ms). */
export interface HitmapView {
  from: number;
  to: number;
  yMax: number;
  /** How elapsed maps to height (hitmap-scale.ts); linear when absent. */
  yScale?: YScale;
}

/**
 * Per-pixel counts of one draw. Cost of binning is one pass over the points; everything
 * after (colouring, hover look-ups) costs per pixel, whatever the number of points.
 */
export interface HitmapBins {
  width: number;
  height: number;
  normal: Int32Array;
  errors: Int32Array;
  maxNormal: number;
  maxErrors: number;
  /** Points inside the x range that passed the filter. */
  inView: number;
  errorsInView: number;
}

function accepts(buf: HitmapBuffer, i: number, filter: HitmapPointFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.errorsOnly && (buf.flags[i]! & HITMAP_FLAG_ERROR) === 0) return false;
  if (filter.agentId !== undefined && buf.agent[i] !== filter.agentId) return false;
  return true;
}

/** Largest elapsed among the points in [from, to] that pass the filter (0 when none). */
export function maxElapsedIn(buf: HitmapBuffer, from: number, to: number, filter?: HitmapPointFilter): number {
  const { end, elapsed, size } = buf;
  let max = 0;
  for (let i = 0; i < size; i++) {
    const e = end[i]!;
    if (e < from || e > to) continue;
    const el = elapsed[i]!;
    if (el > max && accepts(buf, i, filter)) max = el;
  }
  return max;
}

/**
 * The `q` quantile (0..1) of elapsed among the points in [from, to], from a log-scale
 * histogram (8 buckets per power of two, so within ~9%): one pass, no sorting.
 * Returns 0 when no point is in range.
 */
export function elapsedQuantile(buf: HitmapBuffer, from: number, to: number, q: number, filter?: HitmapPointFilter): number {
  const hist = new Float64Array(33 * 8);
  const { end, elapsed, size } = buf;
  let n = 0;
  for (let i = 0; i < size; i++) {
    const e = end[i]!;
    if (e < from || e > to || !accepts(buf, i, filter)) continue;
    const v = elapsed[i]! + 1;
    const exp = 31 - Math.clz32(v);
    const sub = exp >= 3 ? (v >>> (exp - 3)) & 7 : (v << (3 - exp)) & 7;
    hist[exp * 8 + sub]!++;
    n++;
  }
  if (n === 0) return 0;
  const want = Math.ceil(q * n);
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b]!;
    if (seen >= want) {
      const exp = b >> 3;
      const sub = b & 7;
      // upper edge of the bucket, back in ms
      return Math.max(0, 2 ** exp * (1 + (sub + 1) / 8) - 1);
    }
  }
  return 0;
}

/**
 * Bins the points into width × height pixels (row 0 at the top). Points slower than yMax
 * are pinned to the top row, as in Scouter, so outliers stay visible.
 * Pass `reuse` to recycle the arrays of a previous draw of the same size.
 */
export function binPoints(
  buf: HitmapBuffer,
  view: HitmapView,
  width: number,
  height: number,
  filter?: HitmapPointFilter,
  reuse?: HitmapBins,
): HitmapBins {
  const cells = width * height;
  const normal = reuse && reuse.normal.length === cells ? reuse.normal.fill(0) : new Int32Array(cells);
  const errors = reuse && reuse.errors.length === cells ? reuse.errors.fill(0) : new Int32Array(cells);
  const { end, elapsed, flags, agent, size } = buf;
  const { from, to, yMax } = view;
  const sx = width / Math.max(1, to - from);
  const log = view.yScale === 'log';
  // log1p(elapsed) × sy on a log axis (elapsedToFraction, inlined for the hot loop).
  const sy = height / (log ? Math.log1p(Math.max(1, yMax)) : Math.max(1, yMax));
  const lastX = width - 1;
  const lastY = height - 1;
  const agentId = filter?.agentId;
  const errorsOnly = filter?.errorsOnly === true;
  let inView = 0;
  let errorsInView = 0;
  for (let i = 0; i < size; i++) {
    const e = end[i]!;
    if (e < from || e > to) continue;
    const isError = (flags[i]! & HITMAP_FLAG_ERROR) !== 0;
    if (errorsOnly && !isError) continue;
    if (agentId !== undefined && agent[i] !== agentId) continue;
    let px = ((e - from) * sx) | 0;
    if (px > lastX) px = lastX;
    let py = lastY - (((log ? Math.log1p(elapsed[i]!) : elapsed[i]!) * sy) | 0);
    if (py < 0) py = 0;
    const cell = py * width + px;
    inView++;
    if (isError) {
      errors[cell]!++;
      errorsInView++;
    } else {
      normal[cell]!++;
    }
  }
  let maxNormal = 0;
  let maxErrors = 0;
  for (let c = 0; c < cells; c++) {
    if (normal[c]! > maxNormal) maxNormal = normal[c]!;
    if (errors[c]! > maxErrors) maxErrors = errors[c]!;
  }
  return { width, height, normal, errors, maxNormal, maxErrors, inView, errorsInView };
}

/** The data rectangle of a drag selection; bounds inclusive. No maxElapsed = no upper bound. */
export interface HitmapSelection {
  from: number;
  to: number;
  minElapsed: number;
  maxElapsed?: number;
}

/** Counts the points in a selection straight from the typed arrays (the instant answer to a drag). */
export function countSelection(
  buf: HitmapBuffer,
  sel: HitmapSelection,
  filter?: HitmapPointFilter,
): { count: number; errors: number } {
  const { end, elapsed, flags, size } = buf;
  const maxEl = sel.maxElapsed ?? Number.POSITIVE_INFINITY;
  let count = 0;
  let errors = 0;
  for (let i = 0; i < size; i++) {
    const e = end[i]!;
    if (e < sel.from || e > sel.to) continue;
    const el = elapsed[i]!;
    if (el < sel.minElapsed || el > maxEl) continue;
    if (!accepts(buf, i, filter)) continue;
    count++;
    if ((flags[i]! & HITMAP_FLAG_ERROR) !== 0) errors++;
  }
  return { count, errors };
}
