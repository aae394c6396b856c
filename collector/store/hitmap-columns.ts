import type { HitmapPoint } from '../../src/api/hitmap';

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

export function hitmapColumnsToPoints(c: HitmapPointColumns): HitmapPoint[] {
  const points: HitmapPoint[] = new Array(c.n);
  for (let i = 0; i < c.n; i++) points[i] = { end: c.end[i]!, elapsed: c.elapsed[i]!, agentId: c.agent[i]!, error: c.err[i] === 1 };
  return points;
}
