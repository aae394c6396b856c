import { describe, expect, it } from 'vitest';
import { fromZonedInput, toZonedInput, zoneOffsetMs } from './time-format';

describe('time zones', () => {
  const t = Date.UTC(2025, 10, 25, 3, 4, 5, 678);

  it('computes offsets and wall clocks', () => {
    expect(zoneOffsetMs(t, 'UTC')).toBe(0);
    expect(zoneOffsetMs(t, 'Asia/Seoul')).toBe(9 * 3600_000);
    expect(zoneOffsetMs(t, 'Asia/Kolkata')).toBe(5.5 * 3600_000);
    expect(toZonedInput(t, 'Asia/Seoul')).toBe('2025-11-25T12:04:05');
    expect(fromZonedInput('2025-11-25T12:04:05', 'Asia/Seoul')).toBe(t - 678);
    expect(fromZonedInput('2025-07-01T12:00', 'Europe/Berlin')).toBe(Date.UTC(2025, 6, 1, 10, 0));
    expect(fromZonedInput('yesterday', 'UTC')).toBeNull();
  });
});
