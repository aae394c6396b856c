import { z } from 'zod';

/**
 * The hitmap wire format: columnar, little-endian, so a million points decode
 * with four typed-array views and no per-point parsing.
 *
 *   0  'TSH2'            magic
 *   4  uint32 count
 *   8  float64 base      epoch ms; end times are offsets from it
 *  16  float64 cursor    pass back as `cursor` to get only newer points
 *  24  float64 unit      ms per end offset: 1, or more when the points span over 2^32 ms (~49 days)
 *  32  uint32[count]     (end - base) / unit
 *   …  uint32[count]     elapsed, ms (capped at 2^32 - 1)
 *   …  uint32[count]     agent id
 *   …  uint8[count]      flags: bit 0 = error
 */
export const HITMAP_MAGIC = 0x32485354; // 'TSH2' read as little-endian uint32
const HEADER = 32;
const U32_MAX = 0xffffffff;
export const HITMAP_CONTENT_TYPE = 'application/vnd.tapscope.hitmap';
export const HITMAP_FLAG_ERROR = 1;

export const hitmapQuerySchema = z.object({
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
  /** Return only points stored after this cursor (from a previous answer). */
  cursor: z.coerce.number().nonnegative().optional(),
  agent: z.coerce.number().int().optional(),
  url: z.string().max(2048).optional(),
  error: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(2_000_000).default(1_000_000),
});
export type HitmapQuery = z.input<typeof hitmapQuerySchema>;

export interface HitmapColumns {
  base: number;
  cursor: number;
  /** end - base, ms (a Float64Array when the encoder had to use a coarser unit) */
  end: Uint32Array | Float64Array;
  elapsed: Uint32Array;
  agent: Uint32Array;
  flags: Uint8Array;
}

export interface HitmapPoint {
  end: number;
  elapsed: number;
  agentId: number;
  error: boolean;
}

/** Points as columns, the first `n` entries valid: how stores hold a million points without objects. */
export interface HitmapSourceColumns {
  n: number;
  /** End times, epoch ms. */
  end: ArrayLike<number>;
  elapsed: ArrayLike<number>;
  agent: ArrayLike<number>;
  /** Non-zero for a failed transaction. */
  err: ArrayLike<number>;
}

/** Encodes columns into the wire format. `cursor` is the store's position after the last point. */
export function encodeHitmapColumns(c: HitmapSourceColumns, cursor: number): Uint8Array {
  const n = c.n;
  let base = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const e = c.end[i]!;
    if (e < base) base = e;
    if (e > last) last = e;
  }
  if (!Number.isFinite(base)) base = 0;
  // Any range encodes: beyond 2^32 ms of span, offsets count in a coarser unit instead of wrapping.
  const span = Number.isFinite(last) ? last - base : 0;
  const unit = span > U32_MAX ? Math.ceil(span / U32_MAX) : 1;
  const buf = new ArrayBuffer(HEADER + n * 13);
  const view = new DataView(buf);
  view.setUint32(0, HITMAP_MAGIC, true);
  view.setUint32(4, n, true);
  view.setFloat64(8, base, true);
  view.setFloat64(16, cursor, true);
  view.setFloat64(24, unit, true);
  const end = new Uint32Array(buf, HEADER, n);
  const elapsed = new Uint32Array(buf, HEADER + n * 4, n);
  const agent = new Uint32Array(buf, HEADER + n * 8, n);
  const flags = new Uint8Array(buf, HEADER + n * 12, n);
  for (let i = 0; i < n; i++) {
    end[i] = Math.min(U32_MAX, Math.max(0, Math.round((c.end[i]! - base) / unit)));
    elapsed[i] = Math.min(U32_MAX, Math.max(0, Math.round(c.elapsed[i]!)));
    agent[i] = c.agent[i]!;
    flags[i] = c.err[i] ? HITMAP_FLAG_ERROR : 0;
  }
  return new Uint8Array(buf);
}

/** Encodes points into the wire format. `cursor` is the store's position after the last point. */
export function encodeHitmap(points: readonly HitmapPoint[], cursor: number): Uint8Array {
  return encodeHitmapColumns(
    {
      n: points.length,
      end: points.map((p) => p.end),
      elapsed: points.map((p) => p.elapsed),
      agent: points.map((p) => p.agentId),
      err: points.map((p) => (p.error ? 1 : 0)),
    },
    cursor,
  );
}

/** Decodes the wire format without copying the columns. Throws on a malformed buffer. */
export function decodeHitmap(buffer: ArrayBuffer): HitmapColumns {
  if (buffer.byteLength < HEADER) throw new Error('hitmap: truncated header');
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== HITMAP_MAGIC) throw new Error('hitmap: bad magic');
  const n = view.getUint32(4, true);
  if (buffer.byteLength !== HEADER + n * 13) throw new Error('hitmap: length does not match count');
  const unit = view.getFloat64(24, true);
  const offsets = new Uint32Array(buffer, HEADER, n);
  return {
    base: view.getFloat64(8, true),
    cursor: view.getFloat64(16, true),
    // The common case (unit 1) stays a zero-copy view; a coarse unit is scaled back to ms once.
    end: unit === 1 ? offsets : Float64Array.from(offsets, (o) => o * unit),
    elapsed: new Uint32Array(buffer, HEADER + n * 4, n),
    agent: new Uint32Array(buffer, HEADER + n * 8, n),
    flags: new Uint8Array(buffer, HEADER + n * 12, n),
  };
}
