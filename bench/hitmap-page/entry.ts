/**
 * The hitmap bench page: the console's real code (typed client, wire decoder, ring buffer,
 * renderer, selection count, list fetcher) run in headless Chromium by bench/hitmap.ts.
 */
import { apiBinary } from '../../src/api/client';
import { decodeHitmap } from '../../src/api/hitmap';
import { apiPaths } from '../../src/api/paths';
import { HitmapBuffer } from '../../src/features/hitmap/lib/hitmap-buffer';
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

async function run(pcode: string, points: number, from: number, to: number): Promise<BenchResult> {
  const grid = document.getElementById('grid') as HTMLCanvasElement;
  const canvas = document.getElementById('points') as HTMLCanvasElement;
  const renderer = new HitmapRenderer(grid, canvas);
  const buffer = new HitmapBuffer();
  await nextFrame();

  const t0 = performance.now();
  const raw = await apiBinary(apiPaths.hitmap(pcode), { from, to, limit: 2_000_000 });
  const t1 = performance.now();
  buffer.append(decodeHitmap(raw));
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
  const s0 = performance.now();
  const counted = countSelection(buffer, sel);
  const s1 = performance.now();
  const list = await getTransactionList({ pcode, ...sel, sort: 'end' });
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
