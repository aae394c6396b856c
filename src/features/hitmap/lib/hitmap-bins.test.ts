import { decodeHitmap, encodeHitmap, type HitmapPoint } from '../../../api/hitmap';
import { HitmapBuffer } from './hitmap-buffer';
import { binPoints, countSelection, elapsedQuantile, maxElapsedIn } from './hitmap-bins';
import { paintBins } from './hitmap-paint';

const cols = (points: HitmapPoint[], cursor = 1) => decodeHitmap(encodeHitmap(points, cursor).buffer as ArrayBuffer);

describe('HitmapBuffer', () => {
  it('stores absolute end times and grows as points arrive', () => {
    const buf = new HitmapBuffer(100, 2);
    buf.append(cols([
      { end: 1_000_500, elapsed: 10, agentId: 1, error: false },
      { end: 1_000_000, elapsed: 20, agentId: 2, error: true },
      { end: 1_002_000, elapsed: 30, agentId: 1, error: false },
    ]));
    expect(buf.size).toBe(3);
    expect(Array.from(buf.end.subarray(0, 3))).toEqual([1_000_500, 1_000_000, 1_002_000]);
    expect(buf.isError(1)).toBe(true);
    expect(buf.isError(0)).toBe(false);
  });

  it('overwrites the oldest points when full', () => {
    const buf = new HitmapBuffer(4, 4);
    const pts = (start: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ end: 10_000 + start + i, elapsed: start + i, agentId: 1, error: false }));
    buf.append(cols(pts(0, 3)));
    buf.append(cols(pts(3, 3)));
    expect(buf.size).toBe(4);
    expect(buf.overwritten).toBe(2);
    expect(Array.from(buf.elapsed).sort((a, b) => a - b)).toEqual([2, 3, 4, 5]);
    buf.append(cols(pts(100, 10)));
    expect(Array.from(buf.elapsed).sort((a, b) => a - b)).toEqual([106, 107, 108, 109]);
  });
});

describe('binning and selection', () => {
  const points: HitmapPoint[] = [
    { end: 0, elapsed: 0, agentId: 1, error: false },
    { end: 999, elapsed: 99, agentId: 1, error: false },
    { end: 500, elapsed: 50, agentId: 2, error: true },
    { end: 500, elapsed: 50, agentId: 2, error: false },
    { end: 500, elapsed: 5_000, agentId: 1, error: false }, // above yMax: pinned to the top row
    { end: 2_000, elapsed: 10, agentId: 1, error: false }, // outside x range
  ];
  const buf = new HitmapBuffer();
  buf.append(cols(points));
  const view = { from: 0, to: 1000, yMax: 100 };

  it('bins per pixel with y from the top and errors apart', () => {
    const b = binPoints(buf, view, 10, 10);
    expect(b.inView).toBe(5);
    expect(b.errorsInView).toBe(1);
    expect(b.normal[9 * 10 + 0]).toBe(1); // (0 ms, 0 ms) → bottom-left
    expect(b.normal[0 * 10 + 9]).toBe(1); // (999, 99) → top-right
    expect(b.normal[4 * 10 + 5]).toBe(1);
    expect(b.errors[4 * 10 + 5]).toBe(1);
    expect(b.normal[0 * 10 + 5]).toBe(1); // the 5 s outlier pinned to the top
  });

  it('filters by agent and errors while drawing', () => {
    expect(binPoints(buf, view, 10, 10, { agentId: 2 }).inView).toBe(2);
    expect(binPoints(buf, view, 10, 10, { errorsOnly: true }).inView).toBe(1);
    expect(maxElapsedIn(buf, 0, 1000, { agentId: 2 })).toBe(50);
    expect(maxElapsedIn(buf, 0, 1000)).toBe(5_000);
  });

  it('counts a selection with inclusive bounds and an open top', () => {
    expect(countSelection(buf, { from: 400, to: 600, minElapsed: 40, maxElapsed: 60 })).toEqual({ count: 2, errors: 1 });
    expect(countSelection(buf, { from: 400, to: 600, minElapsed: 40 })).toEqual({ count: 3, errors: 1 });
    expect(countSelection(buf, { from: 0, to: 5_000, minElapsed: 0 }, { agentId: 1 })).toEqual({ count: 4, errors: 0 });
  });

  it('paints errors over normal points in a warm colour', () => {
    const b = binPoints(buf, view, 10, 10);
    const rgba = new Uint8ClampedArray(10 * 10 * 4);
    paintBins(rgba, b, 1);
    const at = (x: number, y: number) => Array.from(rgba.subarray((y * 10 + x) * 4, (y * 10 + x) * 4 + 4));
    const err = at(5, 4);
    const normal = at(0, 9);
    expect(err[3]).toBe(255);
    expect(err[0]).toBeGreaterThan(err[2]!); // red over blue
    expect(normal[2]).toBeGreaterThan(normal[0]!); // blue
    expect(at(3, 3)[3]).toBe(0); // empty stays transparent
  });
});

describe('elapsedQuantile', () => {
  it('finds a high percentile within the histogram precision', () => {
    const buf = new HitmapBuffer();
    const pts: HitmapPoint[] = [];
    for (let i = 0; i < 1000; i++) pts.push({ end: 1000 + i, elapsed: i + 1, agentId: 1, error: false });
    pts.push({ end: 1500, elapsed: 60_000, agentId: 1, error: false });
    buf.append(decodeHitmap(encodeHitmap(pts, 1).buffer as ArrayBuffer));
    const p = elapsedQuantile(buf, 0, 10_000, 0.99);
    expect(p).toBeGreaterThanOrEqual(990);
    expect(p).toBeLessThan(990 * 1.13);
    expect(elapsedQuantile(buf, 0, 10_000, 1)).toBeGreaterThanOrEqual(60_000);
    expect(elapsedQuantile(buf, 50_000, 60_000, 0.5)).toBe(0);
  });
});
