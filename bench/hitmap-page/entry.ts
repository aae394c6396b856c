/**
 * The hitmap bench page: the console's real code (typed client, wire decoder, ring buffer,
 * renderer, selection count, list fetcher) run in headless Chromium by bench/hitmap.ts.
 */
import { apiBinary } from '../../src/api/client';
import { decodeHitmap } from '../../src/api/hitmap';
import { apiPaths } from '../../src/api/paths';
import { DEFAULT_HITMAP_CAPACITY, HitmapBuffer } from '../../src/features/hitmap/lib/hitmap-buffer';
import { countSelection } from '../../src/features/hitmap/lib/hitmap-bins';
import { HitmapRenderer } from '../../src/features/hitmap/lib/hitmap-renderer';
import { getTransactionList } from '../../src/features/hitmap/api/get-transaction-list';

export interface BenchResult {
  points: number;
  fetchMs: number;
  decodeMs: number;
  drawMs: number;
  /** fetch + decode + first draw painted */
  totalMs: number;
  selectCountMs: number;
  selectListMs: number;
  selected: number;
  listed: number;
  total: number;
  drawnInView: number;
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/**
 * Fetches `pcode`'s hitmap over [from, to] in `slices` equal time slices at once (the API answers
 * at most 2,000,000 points a request), decodes them in time order into one buffer holding
 * `points`, draws, then drag-selects and lists.
 */
async function run(pcode: string, points: number, from: number, to: number, slices = 1): Promise<BenchResult> {
  const grid = document.getElementById('grid') as HTMLCanvasElement;
  const canvas = document.getElementById('points') as HTMLCanvasElement;
  const renderer = new HitmapRenderer(grid, canvas);
  // Sized for the points up front: growing by doubling to 5,000,000 copies every column ten times.
  const buffer = new HitmapBuffer(Math.max(DEFAULT_HITMAP_CAPACITY, points), points);
  await nextFrame();

  const t0 = performance.now();
  const edges = Array.from({ length: slices + 1 }, (_, i) => Math.round(from + ((to - from) * i) / slices));
  // Slices meet without overlap: [edge i, edge i+1 - 1 ms], the last one up to `to`.
  const raws = await Promise.all(
    edges.slice(0, -1).map((f, i) =>
      apiBinary(apiPaths.hitmap(pcode), { from: f, to: i === slices - 1 ? to : edges[i + 1]! - 1, limit: 2_000_000 }),
    ),
  );
  const t1 = performance.now();
  for (const raw of raws) buffer.append(decodeHitmap(raw));
  const t2 = performance.now();
  const drawn = renderer.draw(buffer, {
    from,
    to,
    yMax: 'auto',
    timeZone: 'Asia/Seoul',
    cssWidth: 1200,
    cssHeight: 400,
    dpr: window.devicePixelRatio || 1,
  });
  // Include the paint: wait until the frame with the image is produced.
  await nextFrame();
  const t3 = performance.now();

  // Drag-select: a rectangle over the busiest band (a fifth of the time, 0 ms to 1/3 of the axis).
  const sel = { from: from + (to - from) * 0.4, to: from + (to - from) * 0.6, minElapsed: 0, maxElapsed: drawn.view.yMax / 3 };
  // The list is asked for first; the count is worked out here while the request is on its way.
  const s0 = performance.now();
  const listed = getTransactionList({ pcode, ...sel, sort: 'end' });
  const counted = countSelection(buffer, sel);
  const s1 = performance.now();
  const list = await listed;
  const s2 = performance.now();

  return {
    points,
    fetchMs: t1 - t0,
    decodeMs: t2 - t1,
    drawMs: t3 - t2,
    totalMs: t3 - t0,
    selectCountMs: s1 - s0,
    selectListMs: s2 - s0,
    selected: counted.count,
    listed: list.transactions.length,
    total: list.total,
    drawnInView: drawn.inView,
  };
}

declare global {
  interface Window {
    runHitmapBench: typeof run;
  }
}
window.runHitmapBench = run;
