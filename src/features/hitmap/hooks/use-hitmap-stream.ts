import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../api/client';
import { fetchHitmap, HITMAP_FETCH_LIMIT, type HitmapFetchQuery } from '../api/get-hitmap';
import { DEFAULT_HITMAP_CAPACITY, HitmapBuffer } from '../lib/hitmap-buffer';

export interface HitmapStreamOptions {
  pcode: string;
  /** Live: the last `windowMs`, polled every `intervalMs` with the cursor. Else the fixed range. */
  live: boolean;
  windowMs?: number;
  from?: number;
  to?: number;
  /** URL filter, applied by the server (points carry no URL). */
  url?: string;
  intervalMs?: number;
  capacity?: number;
  enabled?: boolean;
  /**
   * Live mode: hold the window where it is (a drag in progress), so the area under the pointer
   * does not slide away; polling goes on, and the window catches up with the clock when unpaused.
   */
  paused?: boolean;
}

export interface HitmapStream {
  buffer: HitmapBuffer;
  /** Changes whenever the buffer does. */
  version: number;
  /** The x range to show now (moves with the clock in live mode). */
  from: number;
  to: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /** The range request hit the server's limit: older points of the range are missing. */
  truncated: boolean;
}

/**
 * Loads hitmap points into a ring buffer. Live mode fetches the window once, then only
 * what is new (the `cursor` of the last answer) every ~2.5 s, and scrolls with the clock.
 * Not a TanStack query: the points accumulate in one mutable buffer across polls rather than
 * being one cached answer per key. Unmounting, or changing the range, URL or mode, aborts the
 * request in flight (its AbortSignal reaches fetch) and stops the polling.
 */
export function useHitmapStream(opts: HitmapStreamOptions): HitmapStream {
  const { pcode, live, url, enabled = true, paused = false } = opts;
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const windowMs = opts.windowMs ?? 10 * 60_000;
  const intervalMs = opts.intervalMs ?? 2_500;
  const [buffer] = useState(() => new HitmapBuffer(opts.capacity ?? DEFAULT_HITMAP_CAPACITY));
  const [version, setVersion] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [status, setStatus] = useState<HitmapStream['status']>('loading');
  const [error, setError] = useState<string | null>(null);
  const [truncated, setTruncated] = useState(false);
  const rangeFrom = opts.from ?? 0;
  const rangeTo = opts.to ?? 0;
  // What the buffer holds completely, so freezing a live view (or zooming into what is
  // loaded) needs no refetch.
  const coveredRef = useRef({
    from: 0,
    to: -1,
    url: undefined as string | undefined,
    /** Where the last live poll left off, and when it asked. */
    cursor: undefined as number | undefined,
    polledAt: 0,
  });

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cursor: number | undefined;
    let failures = 0;
    const covered = coveredRef.current;
    if (
      !live &&
      url === covered.url &&
      rangeFrom >= covered.from &&
      rangeTo <= covered.to &&
      buffer.overwritten === 0
    ) {
      // Already loaded. A view frozen from live mode (a drag) ends after the last poll: fetch once
      // what reached the server since, so the hitmap counts what the selection list lists.
      if (covered.cursor === undefined || rangeTo <= covered.polledAt) return;
      fetchHitmap(pcode, { from: rangeFrom, to: rangeTo, cursor: covered.cursor, url }, abort.signal).then(
        (cols) => {
          if (abort.signal.aborted) return;
          covered.cursor = undefined;
          buffer.append(cols);
          setVersion(buffer.version);
        },
        () => undefined, // the points polled before the freeze are still shown
      );
      return () => abort.abort();
    }
    buffer.clear();
    covered.to = -1;
    covered.cursor = undefined;
    setVersion(buffer.version);
    setStatus('loading');
    setError(null);
    setTruncated(false);

    const load = async () => {
      const t = Date.now();
      const q: HitmapFetchQuery = live
        ? // A little slack past now: agents' clocks run ahead of ours sometimes.
          { from: Math.max(0, Math.floor(t - windowMs)), to: Math.ceil(t + 60_000), cursor, url }
        : { from: rangeFrom, to: rangeTo, url };
      try {
        const cols = await fetchHitmap(pcode, q, abort.signal);
        if (abort.signal.aborted) return;
        buffer.append(cols);
        cursor = cols.cursor;
        failures = 0;
        const capped = cols.end.length >= HITMAP_FETCH_LIMIT;
        if (!live || q.cursor === undefined) setTruncated(capped);
        if (q.cursor === undefined) {
          covered.from = capped ? Number.POSITIVE_INFINITY : q.from;
          covered.url = url;
        }
        // A frozen live view (to = the clock when frozen, at most one poll later) is served from
        // what was polled; late arrivals after that show up in the list, which asks the server.
        covered.to = live ? t + intervalMs : q.to;
        covered.cursor = live ? cursor : undefined;
        covered.polledAt = t;
        setVersion(buffer.version);
        if (!pausedRef.current) setNow(Date.now());
        setStatus('ready');
        setError(null);
      } catch (e) {
        if (abort.signal.aborted) return;
        failures++;
        setStatus('error');
        setError(e instanceof ApiError || e instanceof Error ? e.message : 'The hitmap could not be loaded.');
      }
      if (live && !abort.signal.aborted) {
        timer = setTimeout(load, failures ? Math.min(30_000, intervalMs * 2 ** failures) : intervalMs);
      }
    };
    void load();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [buffer, pcode, live, windowMs, rangeFrom, rangeTo, url, intervalMs, enabled]);

  // Scroll once a second between fetches, so live mode moves smoothly.
  useEffect(() => {
    if (!live || !enabled || paused) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(id);
  }, [live, enabled, paused]);

  return {
    buffer,
    version,
    from: live ? now - windowMs : rangeFrom,
    to: live ? now : rangeTo,
    status,
    error,
    truncated,
  };
}
