import { elapsedTicks, niceCeil, timeTicks } from './hitmap-axes';

describe('hitmap axes', () => {
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
