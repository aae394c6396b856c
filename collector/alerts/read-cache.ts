import type { CounterPoint } from '../../src/api/counters';
import type { TelemetryReader } from '../store/telemetry-store';
import type { ScopeStateRow } from './store/alert-store';

/** Samples this late (or re-sent) are still picked up: the last 2 minutes are read again each cycle. */
export const COUNTER_LATE_MS = 120_000;
const SLOT = 5_000;

/**
 * One project's raw counter samples of the last hour, kept between cycles: each cycle reads
 * only the newest minutes from the store instead of the whole longest window (a 1-hour window
 * of 100 agents is 72,000 samples).
 */
class CounterCache {
  private readonly slots = new Map<number, CounterPoint[]>();
  private from = Number.POSITIVE_INFINITY;
  private to = Number.NEGATIVE_INFINITY;

  async read(
    telemetry: TelemetryReader,
    pcode: string,
    from: number,
    to: number,
  ): Promise<{ step: number; points: CounterPoint[] }> {
    const whole = from < this.from || to < this.to || from > this.to;
    const readFrom = whole ? from : Math.max(from, this.to - COUNTER_LATE_MS);
    const read = await telemetry.counters(pcode, readFrom, to);
    // Longer ranges come as roll-up buckets: nothing to keep.
    if (read.step !== SLOT) return read;
    if (whole) this.slots.clear();
    const firstSlot = Math.floor(readFrom / SLOT) * SLOT;
    for (const t of this.slots.keys()) if (t >= firstSlot || t < Math.floor(from / SLOT) * SLOT) this.slots.delete(t);
    for (const p of read.points) {
      const list = this.slots.get(p.time);
      if (list) list.push(p);
      else this.slots.set(p.time, [p]);
    }
    this.from = from;
    this.to = to;
    const points: CounterPoint[] = [];
    for (const list of this.slots.values()) for (const p of list) points.push(p);
    return { step: SLOT, points };
  }
}

/**
 * What the evaluator keeps between cycles: counter samples per project, and roll-up answers of
 * long windows, which are read again at most every window / 10 (at most once a minute): a
 * 1-hour window over whole minutes moves by one minute a minute, and re-reading 60 minutes of
 * roll-ups of every agent every 10 s costs more than the rest of the cycle.
 */
export class AlertReadCache {
  private readonly counters = new Map<string, CounterCache>();
  private readonly rollups = new Map<string, { at: number; value: Promise<unknown> }>();
  /**
   * The per-scope states as this evaluator last wrote them (it is their only writer while it
   * holds the lease), valid for one version of the rules: a rule changed through the API
   * (its states reset there) or a failed write makes the next cycle read them again.
   */
  states: { version: string; byKey: Map<string, ScopeStateRow> } | null = null;
  /** The last value written to each open incident: an unchanged one is not written again. */
  readonly incidentValues = new Map<number, number>();

  counterCache(pcode: string): CounterCache {
    let c = this.counters.get(pcode);
    if (!c) this.counters.set(pcode, (c = new CounterCache()));
    return c;
  }

  /** `load()`'s answer for `key`, reused while younger than `maxAgeMs`. */
  rollup<T>(key: string, now: number, maxAgeMs: number, load: () => Promise<T>): Promise<T> {
    const hit = this.rollups.get(key);
    if (hit && now - hit.at < maxAgeMs && now >= hit.at) return hit.value as Promise<T>;
    const value = load();
    this.rollups.set(key, { at: now, value });
    // A failed read is not kept.
    value.catch(() => this.rollups.delete(key));
    return value;
  }

  /** Forgets projects no longer evaluated and stale roll-up answers. */
  prune(pcodes: ReadonlySet<string>, now: number): void {
    for (const p of this.counters.keys()) if (!pcodes.has(p)) this.counters.delete(p);
    for (const [k, v] of this.rollups) if (now - v.at > 120_000 || now < v.at) this.rollups.delete(k);
    if (this.incidentValues.size > 1_000_000) this.incidentValues.clear();
  }
}

/** How stale a roll-up answer for a window may be: a tenth of it, at most a minute (6 s for a 1-minute window). */
export const rollupMaxAgeMs = (windowMs: number) => Math.min(60_000, windowMs / 10);
