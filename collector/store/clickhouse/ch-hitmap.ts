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
  for (let i = 0, o = 0; i < n; i++, o += size) {
    cols.end[i] = buf.readDoubleLE(o);
    cols.elapsed[i] = buf.readDoubleLE(o + 8);
    cols.agent[i] = buf.readUInt32LE(o + 16); // agent ids stay far below 2^32
    cols.err[i] = buf[o + 24]!;
  }
  if (withStamp && n > 0) cols.lastStamp = buf.readDoubleLE((n - 1) * size + 25);
  return cols;
}
