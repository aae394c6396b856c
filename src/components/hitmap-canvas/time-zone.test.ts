import { fromZonedInput, toZonedInput, zoneOffsetMs } from './time-zone';
import { elapsedTicks, niceCeil, timeTicks } from './hitmap-axes';

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

  it('aligns time ticks to the zone and labels them in it', () => {
    const from = Date.UTC(2025, 10, 25, 0, 0);
    const ticks = timeTicks(from, from + 4 * 3600_000, 400, 'Asia/Kolkata');
    // a +05:30 zone: full local hours fall at hh:30 UTC
    expect(new Date(ticks[0]!.value).getUTCMinutes()).toBe(30);
    expect(ticks[0]!.label).toBe('06:00');
  });

  it('makes round elapsed ticks', () => {
    expect(niceCeil(730)).toBe(1000);
    expect(niceCeil(2100)).toBe(5000);
    expect(elapsedTicks(2000, 200).map((x) => x.label)).toEqual(['0 ms', '500 ms', '1 s', '1.5 s', '2 s']);
  });
});
