/**
 * The hitmap's Y scale. Linear shows elapsed as is; log (of 1 + ms, so 0 stays at the bottom)
 * spreads the fast majority that a linear axis squeezes into its bottom row, and still fits
 * the slowest points without pinning them.
 */
export type YScale = 'linear' | 'log';

/** Height fraction (0 = bottom, 1 = top; beyond yMax above 1) of an elapsed time in ms. */
export function elapsedToFraction(ms: number, yMax: number, scale: YScale = 'linear'): number {
  const top = Math.max(1, yMax);
  const v = Math.max(0, ms);
  return scale === 'log' ? Math.log1p(v) / Math.log1p(top) : v / top;
}

/** The elapsed time (ms) at a height fraction: the inverse of elapsedToFraction. */
export function fractionToElapsed(f: number, yMax: number, scale: YScale = 'linear'): number {
  const top = Math.max(1, yMax);
  const c = Math.max(0, f);
  return scale === 'log' ? Math.expm1(c * Math.log1p(top)) : c * top;
}
