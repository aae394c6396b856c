import { HITMAP_FLAG_ERROR, type HitmapColumns } from '../../../api/hitmap';

/** Default cap: Scouter keeps 1M; we allow 2M before the oldest points are overwritten. */
export const DEFAULT_HITMAP_CAPACITY = 2_000_000;

/**
 * The points of a hitmap as a ring buffer of typed arrays (struct of arrays), so a million
 * points cost 17 MB and are scanned without objects. Order does not matter to drawing or
 * selection, so "ring" only means: when full, the oldest slots are overwritten.
 * Storage grows by doubling up to the capacity, so a small live hitmap stays small.
 */
export class HitmapBuffer {
  /** Absolute end time, epoch ms. */
  end: Float64Array;
  /** Elapsed, ms. */
  elapsed: Uint32Array;
  agent: Uint32Array;
  /** bit 0 = error */
  flags: Uint8Array;
  /** Number of valid slots (all of [0, size) are valid). */
  size = 0;
  /** Bumped on every change, so views know when to redraw. */
  version = 0;
  /** Points overwritten because the buffer was full. */
  overwritten = 0;
  private head = 0;

  constructor(readonly capacity: number = DEFAULT_HITMAP_CAPACITY, initial = 16_384) {
    const n = Math.max(1, Math.min(capacity, initial));
    this.end = new Float64Array(n);
    this.elapsed = new Uint32Array(n);
    this.agent = new Uint32Array(n);
    this.flags = new Uint8Array(n);
  }

  private grow(needed: number): void {
    let n = this.end.length;
    if (n >= needed || n >= this.capacity) return;
    while (n < needed) n *= 2;
    n = Math.min(n, this.capacity);
    const grow = <T extends Float64Array | Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.end = grow(this.end, (k) => new Float64Array(k));
    this.elapsed = grow(this.elapsed, (k) => new Uint32Array(k));
    this.agent = grow(this.agent, (k) => new Uint32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
  }

  /** Appends decoded wire columns (end times become absolute). */
  append(cols: HitmapColumns): void {
    const n = cols.end.length;
    if (n === 0) return;
    if (this.size < this.capacity) this.grow(Math.min(this.capacity, this.size + n));
    const cap = this.end.length;
    const base = cols.base;
    // When the batch alone exceeds capacity, only its newest `cap` points can survive.
    const skip = Math.max(0, n - this.capacity);
    for (let i = skip; i < n; i++) {
      const slot = this.head;
      this.end[slot] = base + cols.end[i]!;
      this.elapsed[slot] = cols.elapsed[i]!;
      this.agent[slot] = cols.agent[i]!;
      this.flags[slot] = cols.flags[i]!;
      this.head = slot + 1 === cap ? 0 : slot + 1;
      if (this.size < cap) this.size++;
      else this.overwritten++;
    }
    this.overwritten += skip;
    this.version++;
  }

  clear(): void {
    this.size = 0;
    this.head = 0;
    this.overwritten = 0;
    this.version++;
  }

  isError(i: number): boolean {
    return (this.flags[i]! & HITMAP_FLAG_ERROR) !== 0;
  }
}

/** Which points to show; applied while scanning, so changing it needs no refetch. */
export interface HitmapPointFilter {
  agentId?: number;
  errorsOnly?: boolean;
}
