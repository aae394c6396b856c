/**
 * A fixed log-scale latency histogram, stored as a blob of uint32 counts in roll-up rows.
 * Bucket 0 holds values < 0.5 ms; bucket i (1 … BUCKETS-2) holds [0.5·R^(i-1), 0.5·R^i);
 * the last bucket holds everything from 0.5·R^(BUCKETS-2) (≈ 87 s) up. With R = 1.3 a
 * percentile read from it is within ±15 % of the true value, whatever the magnitude,
 * and histograms of any number of minutes merge by adding counts.
 */
export const BUCKETS = 48;
const BASE = 0.5;
const RATIO = 1.3;
const LOG_RATIO = Math.log(RATIO);

/** Lower bound of bucket i, ms. */
export function bucketLow(i: number): number {
  return i <= 0 ? 0 : BASE * RATIO ** (i - 1);
}

/** Upper bound of bucket i, ms (Infinity for the last one). */
export function bucketHigh(i: number): number {
  return i >= BUCKETS - 1 ? Number.POSITIVE_INFINITY : BASE * RATIO ** i;
}

export function bucketOf(ms: number): number {
  if (!(ms >= BASE)) return 0;
  const i = Math.floor(Math.log(ms / BASE) / LOG_RATIO) + 1;
  return i >= BUCKETS ? BUCKETS - 1 : i;
}

export function newHistogram(): Uint32Array {
  return new Uint32Array(BUCKETS);
}

export function addToHistogram(h: Uint32Array, ms: number): void {
  const i = bucketOf(ms);
  h[i] = h[i]! + 1;
}

/** Adds b into a (a is modified). */
export function mergeHistogram(a: Uint32Array, b: Uint32Array): void {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) a[i] = a[i]! + b[i]!;
}

/** The stored form (little-endian, as typed arrays are on every platform we run on). */
export function histogramToBlob(h: Uint32Array): Buffer {
  return Buffer.from(h.buffer, h.byteOffset, h.byteLength);
}

export function histogramFromBlob(blob: Uint8Array | null | undefined): Uint32Array {
  const h = newHistogram();
  if (!blob) return h;
  const n = Math.min(BUCKETS, Math.floor(blob.byteLength / 4));
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < n; i++) h[i] = view.getUint32(i * 4, true);
  return h;
}

/** Sum of two stored histograms, for the SQLite upsert (`hist = hist_add(hist, excluded.hist)`). */
export function addHistogramBlobs(a: Uint8Array | null, b: Uint8Array | null): Buffer {
  const h = histogramFromBlob(a);
  addBlobToHistogram(h, b);
  return histogramToBlob(h);
}

/**
 * Adds a stored histogram into h (h is modified) without decoding it into a new array first:
 * the SQL aggregate `hist_sum` calls this once per roll-up row read.
 */
export function addBlobToHistogram(h: Uint32Array, blob: Uint8Array | null | undefined): void {
  if (!blob) return;
  const n = Math.min(h.length, Math.floor(blob.byteLength / 4));
  if (blob.byteOffset % 4 === 0) {
    // Buffers handed out by SQLite are aligned: read them in place (little-endian, as stored).
    const v = new Uint32Array(blob.buffer, blob.byteOffset, n);
    for (let i = 0; i < n; i++) h[i] = h[i]! + v[i]!;
    return;
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < n; i++) h[i] = h[i]! + view.getUint32(i * 4, true);
}

/**
 * The q-quantile (0 … 1) estimated from the histogram: the bucket holding the rank,
 * interpolated geometrically inside it, clamped to the observed minimum and maximum.
 */
export function percentile(h: Uint32Array, q: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, bucketPercentile(h, q, max)));
}

function bucketPercentile(h: Uint32Array, q: number, max: number): number {
  let total = 0;
  for (let i = 0; i < h.length; i++) total += h[i]!;
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    const c = h[i]!;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lo = bucketLow(i);
      const hi = Math.min(bucketHigh(i), max);
      const frac = (rank - seen) / c;
      const v = i === 0 ? hi * frac : lo * (Math.max(hi, lo) / lo) ** frac;
      return Math.min(v, max);
    }
    seen += c;
  }
  return max;
}
