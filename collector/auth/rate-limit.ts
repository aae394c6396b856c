/**
 * Counts failures per key in a sliding window, e.g. failed sign-ins per username + IP.
 * In memory: a restart forgets, which is acceptable for slowing down guessing; the key
 * count is bounded so a flood of distinct keys cannot grow memory without limit.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: { max: number; windowMs: number; maxKeys?: number },
  ) {}

  /** How long until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string, now: number): number {
    const times = this.recent(key, now);
    if (times.length < this.options.max) return 0;
    return times[times.length - this.options.max]! + this.options.windowMs - now;
  }

  /** Records a failure; returns the failures within the window, this one included. */
  fail(key: string, now: number): number {
    const times = this.recent(key, now);
    times.push(now);
    // Keep only what can still matter for the limit.
    if (times.length > this.options.max) times.splice(0, times.length - this.options.max);
    this.failures.delete(key); // re-insert: Map order then doubles as least-recently-failed order
    this.failures.set(key, times);
    this.evict();
    return times.length;
  }

  /** Failures of `key` within the window. */
  count(key: string, now: number): number {
    return this.recent(key, now).length;
  }

  /** Takes back one failure recorded at `time` (an attempt counted in advance that succeeded). */
  forget(key: string, time: number): void {
    const times = this.failures.get(key);
    const at = times?.indexOf(time) ?? -1;
    if (at >= 0) times!.splice(at, 1);
    if (times?.length === 0) this.failures.delete(key);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const fresh = times.filter((t) => t > now - this.options.windowMs);
    if (fresh.length === 0) this.failures.delete(key);
    else this.failures.set(key, fresh);
    return fresh;
  }

  private evict(): void {
    const maxKeys = this.options.maxKeys ?? 10_000;
    // Map order is least-recently-failed first: under a flood of keys the stalest go.
    for (const key of this.failures.keys()) {
      if (this.failures.size <= maxKeys) break;
      this.failures.delete(key);
    }
  }
}
