/**
 * A token bucket bounding frames per second on one connection: `burst` frames at once,
 * refilled at `perSecond`. Why: one peer flooding tiny frames (heartbeats) would otherwise
 * take the event loop from every other agent.
 */
export class FrameRateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` frames' worth of tokens; false when the connection is over its rate. */
  take(n: number): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
    this.tokens -= n;
    return this.tokens >= 0;
  }
}
