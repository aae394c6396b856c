import { describe, expect, it } from 'vitest';
import { addHistogramBlobs, addToHistogram, BUCKETS, bucketHigh, bucketLow, bucketOf, histogramFromBlob, histogramToBlob, newHistogram, percentile } from './rollup-histogram';

describe('latency histogram', () => {
  it('puts every value in the bucket whose bounds hold it', () => {
    for (const v of [0, 0.1, 0.5, 0.64, 1, 3.3, 12, 99.9, 1000, 3000, 8000, 86_000, 1e6, 1e9]) {
      const i = bucketOf(v);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(BUCKETS);
      expect(v).toBeGreaterThanOrEqual(bucketLow(i) * (1 - 1e-12));
      expect(v).toBeLessThan(bucketHigh(i) * (1 + 1e-12));
    }
  });

  it('estimates percentiles of skewed data within the bucket resolution', () => {
    const h = newHistogram();
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const v = Math.exp(Math.sin(i * 12.9898) * 3 + 4); // spread over ~1 ms … 1 s
      values.push(v);
      addToHistogram(h, v);
    }
    values.sort((a, b) => a - b);
    const min = values[0]!;
    const max = values.at(-1)!;
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      const est = percentile(h, q, min, max);
      expect(est / exact).toBeGreaterThan(0.85);
      expect(est / exact).toBeLessThan(1.18);
    }
    expect(percentile(newHistogram(), 0.5, 0, 0)).toBe(0);
  });

  it('merges stored blobs by adding counts', () => {
    const a = newHistogram();
    const b = newHistogram();
    addToHistogram(a, 5);
    addToHistogram(b, 5);
    addToHistogram(b, 5000);
    const merged = histogramFromBlob(addHistogramBlobs(histogramToBlob(a), histogramToBlob(b)));
    expect(merged[bucketOf(5)]).toBe(2);
    expect(merged[bucketOf(5000)]).toBe(1);
    expect(merged.reduce((s, c) => s + c, 0)).toBe(3);
    expect(histogramFromBlob(addHistogramBlobs(null, histogramToBlob(a)))[bucketOf(5)]).toBe(1);
  });
});
