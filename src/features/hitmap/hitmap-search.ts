import { z } from 'zod';
import type { HitmapSelection } from './lib/hitmap-bins';

/**
 * The hitmap's view state in the URL, parsed and validated here only, so a link reopens
 * the same view: mode and range, filters, Y axis, the selected rectangle and the list sort.
 *
 *   ?mode=range&from=…&to=…&agent=2&url=/cart&err=1&y=3000&ys=log&sf=…&st=…&smin=…&smax=…&sort=elapsed&dir=desc
 */
export const LIVE_WINDOWS = { '1m': 60_000, '5m': 5 * 60_000, '10m': 10 * 60_000, '30m': 30 * 60_000, '1h': 3_600_000 } as const;
export type LiveWindow = keyof typeof LIVE_WINDOWS;
export const Y_CHOICES = ['auto', '500', '1000', '3000', '5000', '10000', '30000', '60000'] as const;
export const SORT_KEYS = ['time', 'elapsed', 'agent', 'url', 'status', 'sql', 'httpc'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Longest range the hitmap loads at once (the statistics go further). */
export const MAX_RANGE_MS = 31 * 86_400_000;

const epoch = z.coerce.number().int().nonnegative();
const optionalNumber = (schema: z.ZodTypeAny) =>
  z.preprocess((v) => (v === null || v === '' ? undefined : v), schema.optional()).catch(undefined);

const searchSchema = z.object({
  mode: z.enum(['live', 'range']).catch('live'),
  win: z.enum(Object.keys(LIVE_WINDOWS) as [LiveWindow, ...LiveWindow[]]).catch('10m'),
  from: optionalNumber(epoch),
  to: optionalNumber(epoch),
  agent: optionalNumber(z.coerce.number().int().nonnegative()),
  url: z.string().max(2048).optional().catch(undefined),
  err: z.literal('1').optional().catch(undefined),
  y: z.enum(Y_CHOICES).catch('auto'),
  ys: z.enum(['linear', 'log']).catch('linear'),
  sf: optionalNumber(epoch),
  st: optionalNumber(epoch),
  smin: optionalNumber(z.coerce.number().nonnegative()),
  smax: optionalNumber(z.coerce.number().nonnegative()),
  sort: z.enum(SORT_KEYS).catch('time'),
  dir: z.enum(['asc', 'desc']).catch('desc'),
});

export interface HitmapSearch {
  mode: 'live' | 'range';
  win: LiveWindow;
  /** Range mode: the window shown (always set in range mode, after defaults). */
  from: number;
  to: number;
  agentId?: number;
  url?: string;
  errorsOnly: boolean;
  yMax: 'auto' | number;
  /** The elapsed axis: linear, or log to spread the fast majority (`ys=log`). */
  yScale: 'linear' | 'log';
  selection: HitmapSelection | null;
  sort: SortKey;
  dir: 'asc' | 'desc';
}

/** Parses the search params; anything invalid falls back to its default instead of failing. */
export function parseHitmapSearch(params: URLSearchParams, now: number = Date.now()): HitmapSearch {
  const raw = searchSchema.parse(Object.fromEntries(params));
  let from = raw.from as number | undefined;
  let to = raw.to as number | undefined;
  if (raw.mode === 'range') {
    if (to === undefined) to = now;
    if (from === undefined || from >= to) from = to - 3_600_000;
    if (to - from > MAX_RANGE_MS) from = to - MAX_RANGE_MS;
  }
  const sf = raw.sf as number | undefined;
  const st = raw.st as number | undefined;
  const smin = raw.smin as number | undefined;
  const smax = raw.smax as number | undefined;
  const selection: HitmapSelection | null =
    sf !== undefined && st !== undefined && st >= sf && (smax === undefined || smax >= (smin ?? 0))
      ? { from: sf, to: st, minElapsed: smin ?? 0, ...(smax !== undefined ? { maxElapsed: smax } : {}) }
      : null;
  return {
    mode: raw.mode,
    win: raw.win,
    from: from ?? now - LIVE_WINDOWS[raw.win],
    to: to ?? now,
    agentId: raw.agent as number | undefined,
    url: raw.url || undefined,
    errorsOnly: raw.err === '1',
    yMax: raw.y === 'auto' ? 'auto' : Number(raw.y),
    yScale: raw.ys,
    selection,
    sort: raw.sort,
    dir: raw.dir,
  };
}

/** The search params of a view (defaults left out, so links stay short). */
export function hitmapSearchParams(s: HitmapSearch): URLSearchParams {
  const out = new URLSearchParams();
  if (s.mode === 'range') {
    out.set('mode', 'range');
    out.set('from', String(Math.floor(s.from)));
    out.set('to', String(Math.ceil(s.to)));
  } else if (s.win !== '10m') {
    out.set('win', s.win);
  }
  if (s.agentId !== undefined) out.set('agent', String(s.agentId));
  if (s.url) out.set('url', s.url);
  if (s.errorsOnly) out.set('err', '1');
  if (s.yMax !== 'auto') out.set('y', String(s.yMax));
  if (s.yScale === 'log') out.set('ys', 'log');
  if (s.selection) {
    out.set('sf', String(Math.floor(s.selection.from)));
    out.set('st', String(Math.ceil(s.selection.to)));
    if (s.selection.minElapsed > 0) out.set('smin', String(s.selection.minElapsed));
    if (s.selection.maxElapsed !== undefined) out.set('smax', String(s.selection.maxElapsed));
  }
  if (s.sort !== 'time') out.set('sort', s.sort);
  if (s.dir !== 'desc') out.set('dir', s.dir);
  return out;
}
