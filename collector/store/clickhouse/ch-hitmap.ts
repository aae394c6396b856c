import type { HitmapPointColumns } from '../hitmap-columns';

/** Hitmap rows as columns: what ClickHouse sends (RowBinary), without an object per point. */
export interface HitmapColumns extends HitmapPointColumns {
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
  // A DataView's reads compile to plain loads; Buffer's readDoubleLE is a few times slower per value.
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0, o = 0; i < n; i++, o += size) {
    cols.end[i] = view.getFloat64(o, true);
    cols.elapsed[i] = view.getFloat64(o + 8, true);
    cols.agent[i] = view.getUint32(o + 16, true); // agent ids stay far below 2^32
    cols.err[i] = view.getUint8(o + 24);
  }
  if (withStamp && n > 0) cols.lastStamp = view.getFloat64((n - 1) * size + 25, true);
  return cols;
}
