import { vi } from 'vitest';

/**
 * Console tests run on a fixed clock: the mock server's seeds (agents, counters, transactions)
 * are computed from the time, so a real clock would make the data differ with the hour a test
 * runs at. The clock starts at this instant and moves in real time from there (live views,
 * polling and relative times still work); only `Date` is faked, timers stay real.
 * src/app/time-of-day.test.tsx shows the pages hold at other instants too.
 */
export const TEST_CLOCK_START = Date.parse('2026-12-03T05:30:00Z');

/** Sets the clock to `now`, moving in real time from there. */
export function startClockAt(now: number): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(now);
}

startClockAt(TEST_CLOCK_START);
