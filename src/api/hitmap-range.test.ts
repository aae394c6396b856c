import { describe, expect, it } from 'vitest';
import { decodeHitmap, encodeHitmap, type HitmapPoint } from './hitmap';

const decodeEnds = (points: HitmapPoint[]) => {
  const cols = decodeHitmap(encodeHitmap(points, 1).slice().buffer as ArrayBuffer);
  return { ends: [...cols.end].map((e) => cols.base + e), elapsed: [...cols.elapsed] };
};
const p = (end: number, elapsed = 10): HitmapPoint => ({ end, elapsed, agentId: 1, error: false });

describe('hitmap encoding range', () => {
  it('keeps exact ms within a 49-day span', () => {
    const now = 1_764_057_600_123;
    expect(decodeEnds([p(now - 40 * 86_400_000), p(now)]).ends).toEqual([now - 40 * 86_400_000, now]);
  });

  it('decodes every point near its time when one point is from 1970 (offsets used to wrap)', () => {
    const now = 1_764_057_600_123;
    const points = [p(0), p(now - 5000), p(now)];
    const { ends } = decodeEnds(points);
    const unit = Math.ceil(now / 0xffffffff);
    points.forEach((pt, i) => expect(Math.abs(ends[i]! - pt.end)).toBeLessThanOrEqual(unit / 2));
  });

  it('caps an elapsed beyond 2^32 ms instead of wrapping it to a small number', () => {
    expect(decodeEnds([p(1000, 2 ** 32 + 5)]).elapsed).toEqual([0xffffffff]);
  });
});
