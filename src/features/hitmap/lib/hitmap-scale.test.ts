import { decodeHitmap, encodeHitmap } from '../../../api/hitmap';
import { logElapsedTicks } from './hitmap-axes';
import { binPoints } from './hitmap-bins';
import { HitmapBuffer } from './hitmap-buffer';
import { elapsedToFraction, fractionToElapsed } from './hitmap-scale';

describe('the log elapsed axis', () => {
  it('spreads fast requests that a linear axis puts in its bottom row', () => {
    const buf = new HitmapBuffer(10, 10);
    const elapsed = [3, 12, 40, 90, 9_000];
    buf.append(decodeHitmap(encodeHitmap(elapsed.map((e, i) => ({ end: 1_000 + i, elapsed: e, agentId: 1, error: false })), 1).buffer as ArrayBuffer));
    // Each point has its own column (x = its end time): the row of each, left to right.
    const rows = (yScale: 'linear' | 'log') => {
      const b = binPoints(buf, { from: 1_000, to: 1_010, yMax: 10_000, yScale }, 10, 100);
      return elapsed.map((_, x) => {
        for (let y = 0; y < 100; y++) if (b.normal[y * 10 + x]) return y;
        return -1;
      });
    };
    // 100 px high: linear puts the four fast ones in the bottom row, log gives each its own.
    expect(rows('linear').slice(0, 4)).toEqual([99, 99, 99, 99]);
    const log = rows('log');
    expect(new Set(log).size).toBe(5);
    expect(log).toEqual([...log].sort((a, b) => b - a)); // slower is higher
  });

  it('maps a height back to the elapsed time it shows', () => {
    for (const ms of [0, 1, 37, 1_200, 30_000]) {
      expect(fractionToElapsed(elapsedToFraction(ms, 30_000, 'log'), 30_000, 'log')).toBeCloseTo(ms, 6);
      expect(fractionToElapsed(elapsedToFraction(ms, 30_000), 30_000)).toBeCloseTo(ms, 6);
    }
    expect(elapsedToFraction(10_000, 10_000, 'log')).toBe(1);
    expect(elapsedToFraction(0, 10_000, 'log')).toBe(0);
  });

  it('labels 0 and the 1-2-5 steps that fit, spaced apart', () => {
    const ticks = logElapsedTicks(10_000, 360);
    const labels = ticks.map((t) => t.label);
    for (const l of ['0 ms', '1 ms', '10 ms', '100 ms', '1 s']) expect(labels).toContain(l);
    expect(ticks.at(-1)!.value).toBeLessThanOrEqual(10_000);
    const px = ticks.map((t) => (Math.log1p(t.value) / Math.log1p(10_000)) * 360);
    for (let i = 1; i < px.length; i++) expect(px[i]! - px[i - 1]!).toBeGreaterThanOrEqual(24);
    expect(logElapsedTicks(10_000, 120).length).toBeLessThan(ticks.length);
  });
});
