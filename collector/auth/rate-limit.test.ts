import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit';

describe('FailureLimiter', () => {
  it('blocks after max failures within the window and says for how long', () => {
    const limiter = new FailureLimiter({ max: 3, windowMs: 1000 });
    expect(limiter.fail('k', 0)).toBe(1);
    limiter.fail('k', 100);
    expect(limiter.retryAfterMs('k', 150)).toBe(0);
    limiter.fail('k', 200);
    expect(limiter.retryAfterMs('k', 250)).toBe(750); // the oldest of the last 3 leaves the window at 1000
    expect(limiter.retryAfterMs('other', 250)).toBe(0);
    expect(limiter.retryAfterMs('k', 999)).toBe(1);
    // Sliding window: once the oldest failure leaves it, one more try is allowed.
    expect(limiter.retryAfterMs('k', 1000)).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = new FailureLimiter({ max: 1, windowMs: 1000 });
    limiter.fail('k', 0);
    expect(limiter.retryAfterMs('k', 1)).toBeGreaterThan(0);
    limiter.reset('k');
    expect(limiter.retryAfterMs('k', 1)).toBe(0);
  });

  it('bounds its memory, dropping the stalest keys first', () => {
    const limiter = new FailureLimiter({ max: 1, windowMs: 10_000, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.fail(`k${i}`, i);
    expect(limiter.retryAfterMs('k0', 1000)).toBe(0);
    expect(limiter.retryAfterMs('k999', 1000)).toBeGreaterThan(0);
    expect(limiter.retryAfterMs('k900', 1000)).toBeGreaterThan(0);
  });
});
