import type { HitmapBins } from './hitmap-bins';

type Rgb = readonly [number, number, number];

/** Cool ramp for normal points (one point is clearly visible; dense areas go dark navy). */
const NORMAL_RAMP: readonly Rgb[] = [
  [92, 148, 245],
  [39, 92, 214],
  [14, 36, 120],
];
/** Warm ramp for errors, drawn on top of normal points. */
const ERROR_RAMP: readonly Rgb[] = [
  [255, 160, 60],
  [244, 81, 30],
  [183, 0, 20],
];

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function pack([r, g, b]: Rgb): number {
  return littleEndian ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/** 256-entry lookup table interpolating a ramp, packed as RGBA words for a Uint32Array view. */
function lut(ramp: readonly Rgb[]): Uint32Array {
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (ramp.length - 1);
    const k = Math.min(ramp.length - 2, Math.floor(t));
    const f = t - k;
    const a = ramp[k]!;
    const b = ramp[k + 1]!;
    out[i] = pack([
      Math.round(a[0] + (b[0] - a[0]) * f),
      Math.round(a[1] + (b[1] - a[1]) * f),
      Math.round(a[2] + (b[2] - a[2]) * f),
    ]);
  }
  return out;
}

const NORMAL_LUT = lut(NORMAL_RAMP);
const ERROR_LUT = lut(ERROR_RAMP);

/** Colours used by legends outside the canvas. */
export const HITMAP_COLORS = {
  normal: `rgb(${NORMAL_RAMP[0]!.join(',')})`,
  normalDense: `rgb(${NORMAL_RAMP[2]!.join(',')})`,
  error: `rgb(${ERROR_RAMP[1]!.join(',')})`,
} as const;

function paintLayer(px: Uint32Array, bins: HitmapBins, counts: Int32Array, max: number, table: Uint32Array, dot: number) {
  const { width, height } = bins;
  if (max === 0) return;
  // log scale: a single point and a pile of thousands both stay readable. The floor keeps
  // a lone point light even when nothing is dense (it must not look like a crowd).
  const scale = 255 / Math.log1p(Math.max(max, 12));
  const r0 = -((dot - 1) >> 1);
  const r1 = r0 + dot - 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const c = counts[row + x]!;
      if (c === 0) continue;
      const colour = table[Math.min(255, (Math.log1p(c) * scale) | 0)]!;
      if (dot === 1) {
        px[row + x] = colour;
        continue;
      }
      const ya = Math.max(0, y + r0);
      const yb = Math.min(height - 1, y + r1);
      const xa = Math.max(0, x + r0);
      const xb = Math.min(width - 1, x + r1);
      for (let yy = ya; yy <= yb; yy++) px.fill(colour, yy * width + xa, yy * width + xb + 1);
    }
  }
}

/**
 * Paints bins into RGBA pixels (width × height × 4 bytes, e.g. ImageData.data): each busy
 * pixel becomes a dot × dot square coloured by its count; errors are painted after, above,
 * one pixel larger.
 * Transparent elsewhere, so a grid canvas underneath shows through.
 */
export function paintBins(rgba: Uint8ClampedArray, bins: HitmapBins, dot = 3): void {
  const px = new Uint32Array(rgba.buffer, rgba.byteOffset, bins.width * bins.height);
  px.fill(0);
  paintLayer(px, bins, bins.normal, bins.maxNormal, NORMAL_LUT, dot);
  // Errors one pixel larger: a rare red dot must not drown in a blue crowd.
  paintLayer(px, bins, bins.errors, bins.maxErrors, ERROR_LUT, dot + 1);
}
