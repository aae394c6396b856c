import { HITMAP_FLAG_ERROR, HITMAP_MAGIC, type HitmapPoint } from '../../src/api/hitmap';

/**
 * Hitmap points as typed columns, the first `n` entries valid: how the telemetry engines
 * collect up to a million points without an object per point.
 */
export interface HitmapPointColumns {
  n: number;
  /** End times, epoch ms. */
  end: Float64Array;
  elapsed: Float64Array;
  agent: Uint32Array;
  /** 1 for a failed transaction. */
  err: Uint8Array;
}

/** The wire format of src/api/hitmap.ts (the same bytes encodeHitmap makes), straight from columns. */
export function encodeHitmapColumns(c: HitmapPointColumns, cursor: number): Uint8Array {
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

export function hitmapColumnsToPoints(c: HitmapPointColumns): HitmapPoint[] {
  const points: HitmapPoint[] = new Array(c.n);
  for (let i = 0; i < c.n; i++) points[i] = { end: c.end[i]!, elapsed: c.elapsed[i]!, agentId: c.agent[i]!, error: c.err[i] === 1 };
  return points;
}
