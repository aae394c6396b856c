import { HITMAP_FLAG_ERROR, HITMAP_MAGIC, type HitmapPoint } from '../../../src/api/hitmap';

/** Hitmap rows as columns: what ClickHouse sends (RowBinary), without an object per point. */
export interface HitmapColumns {
  n: number;
  end: Float64Array;
  elapsed: Float64Array;
  agent: Uint32Array;
  err: Uint8Array;
  /** The stamp of the last row (incremental queries), else 0. */
  lastStamp: number;
}

/**
 * Parses RowBinary rows of `end_ms Float64, elapsed Float64, agent_id UInt64, err UInt8`
 * (+ `stamp Float64` when `withStamp`): fixed 25- or 33-byte little-endian records, so a
 * million points decode in a few milliseconds (TSV or JSON would take a second).
 */
export function parseHitmapRows(buf: Buffer, withStamp: boolean): HitmapColumns {
  const size = withStamp ? 33 : 25;
  const n = Math.floor(buf.length / size);
  const cols: HitmapColumns = {
    n,
    end: new Float64Array(n),
    elapsed: new Float64Array(n),
    agent: new Uint32Array(n),
    err: new Uint8Array(n),
    lastStamp: 0,
  };
  for (let i = 0, o = 0; i < n; i++, o += size) {
    cols.end[i] = buf.readDoubleLE(o);
    cols.elapsed[i] = buf.readDoubleLE(o + 8);
    cols.agent[i] = buf.readUInt32LE(o + 16); // agent ids stay far below 2^32
    cols.err[i] = buf[o + 24]!;
  }
  if (withStamp && n > 0) cols.lastStamp = buf.readDoubleLE((n - 1) * size + 25);
  return cols;
}

export function columnsToPoints(c: HitmapColumns): HitmapPoint[] {
  const points: HitmapPoint[] = new Array(c.n);
  for (let i = 0; i < c.n; i++) points[i] = { end: c.end[i]!, elapsed: c.elapsed[i]!, agentId: c.agent[i]!, error: c.err[i] === 1 };
  return points;
}

/** The wire format of src/api/hitmap.ts (the same bytes encodeHitmap makes), straight from columns. */
export function encodeColumns(c: HitmapColumns, cursor: number): Uint8Array {
  const n = c.n;
  let base = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) if (c.end[i]! < base) base = c.end[i]!;
  if (!Number.isFinite(base)) base = 0;
  const buf = new ArrayBuffer(24 + n * 13);
  const view = new DataView(buf);
  view.setUint32(0, HITMAP_MAGIC, true);
  view.setUint32(4, n, true);
  view.setFloat64(8, base, true);
  view.setFloat64(16, cursor, true);
  const end = new Uint32Array(buf, 24, n);
  const elapsed = new Uint32Array(buf, 24 + n * 4, n);
  const agent = new Uint32Array(buf, 24 + n * 8, n);
  const flags = new Uint8Array(buf, 24 + n * 12, n);
  for (let i = 0; i < n; i++) {
    end[i] = Math.max(0, Math.round(c.end[i]! - base));
    elapsed[i] = Math.max(0, Math.round(c.elapsed[i]!));
    agent[i] = c.agent[i]!;
    flags[i] = c.err[i] ? HITMAP_FLAG_ERROR : 0;
  }
  return new Uint8Array(buf);
}
