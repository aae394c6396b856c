import { timeLabel, zoneOffsetMs } from '../../../lib/time-format';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  SEC, 2 * SEC, 5 * SEC, 10 * SEC, 15 * SEC, 30 * SEC,
  MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY,
];

export interface Tick {
  value: number;
  label: string;
}

/**
 * Time ticks aligned to round wall-clock times in `timeZone` (so a +05:30 zone gets ticks
 * at its own full hours), about one per `minGapPx` pixels.
 */
export function timeTicks(from: number, to: number, widthPx: number, timeZone: string, minGapPx = 90): Tick[] {
  const span = to - from;
  if (!(span > 0) || widthPx <= 0) return [];
  const wanted = span / Math.max(1, widthPx / minGapPx);
  const step = TIME_STEPS.find((s) => s >= wanted) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const offset = zoneOffsetMs(from, timeZone);
  const withSeconds = step < MIN;
  const withDate = span > DAY;
  const ticks: Tick[] = [];
  let t = Math.ceil((from + offset) / step) * step - offset;
  for (let guard = 0; t <= to && guard < 200; t += step, guard++) {
    ticks.push({ value: t, label: timeLabel(t, timeZone, withSeconds, withDate) });
  }
  return ticks;
}

/** Elapsed label: `250 ms`, `1.5 s`, `12 s`. */
export function elapsedLabel(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** The smallest 1/2/5 × 10^k that is ≥ v. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Elapsed ticks from 0 to yMax, about one per `minGapPx` pixels. */
export function elapsedTicks(yMax: number, heightPx: number, minGapPx = 40): Tick[] {
  if (!(yMax > 0) || heightPx <= 0) return [];
  const step = niceCeil(yMax / Math.max(1, heightPx / minGapPx));
  const ticks: Tick[] = [];
  for (let v = 0; v <= yMax + 1e-9 && ticks.length < 100; v += step) ticks.push({ value: v, label: elapsedLabel(v) });
  return ticks;
}

/**
 * Ticks of a log elapsed axis (hitmap-scale.ts): 0, the powers of ten up to yMax, then the 2s
 * and 5s between them where they fit; no two ticks closer than `minGapPx`.
 */
export function logElapsedTicks(yMax: number, heightPx: number, minGapPx = 24): Tick[] {
  if (!(yMax > 0) || heightPx <= 0) return [];
  const pxOf = (v: number) => (Math.log1p(v) / Math.log1p(yMax)) * heightPx;
  const kept: number[] = [0];
  const fits = (v: number) => v <= yMax + 1e-9 && heightPx - pxOf(v) >= minGapPx / 2 && kept.every((k) => Math.abs(pxOf(k) - pxOf(v)) >= minGapPx);
  for (const m of [1, 5, 2]) {
    for (let p = 1; p <= yMax; p *= 10) if (fits(m * p)) kept.push(m * p);
  }
  return kept.sort((x, y) => x - y).map((v) => ({ value: v, label: elapsedLabel(v) }));
}

/**
 * Y-axis maximum in auto mode: room for the slowest point, unless a few outliers would
 * squash everything else against the axis — then 1.5 × the 99.5th percentile, and the
 * outliers are pinned to the top edge (still visible, still selectable). At least 100 ms.
 */
export function autoYMax(maxElapsed: number, p995: number = maxElapsed): number {
  return niceCeil(Math.max(100, Math.min(maxElapsed * 1.05, p995 * 1.5)));
}
