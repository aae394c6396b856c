import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatRelative,
  formatTime,
  fromZonedInput,
  timeFormatterFor,
  timeLabel,
  toZonedInput,
  zoneOffsetMs,
} from './time-format';

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

describe('dates and times', () => {
  const t = Date.UTC(2025, 0, 14, 4, 5, 22);

  it('shows dates in the project time zone', () => {
    expect(formatDateTime(t, 'UTC')).toBe('Jan 14, 2025, 04:05');
    expect(formatDateTime(t, 'Asia/Seoul')).toBe('Jan 14, 2025, 13:05');
    expect(formatTime(new Date(t).toISOString(), 'America/New_York')).toBe('23:05:22');
    expect(formatDateTime('not a date', 'UTC')).toBe('—');
  });

  it('falls back to the browser zone for an unknown zone', () => {
    expect(formatDateTime(t, 'Mars/Olympus')).toMatch(/2025/);
  });

  it('says how long ago', () => {
    expect(formatRelative(null)).toBe('never');
    expect(formatRelative(t - 10_000, t)).toBe('just now');
    expect(formatRelative(t - 5 * 60_000, t)).toBe('5 min ago');
    expect(formatRelative(t - 3 * 3_600_000, t)).toBe('3 h ago');
    expect(formatRelative(t - 2 * 86_400_000, t)).toBe('2 days ago');
  });

  it('labels axes in the zone, finer for shorter windows', () => {
    expect(timeFormatterFor(3_600_000, 'Asia/Seoul')(t)).toBe('13:05:22');
    expect(timeFormatterFor(6 * 3_600_000, 'Asia/Seoul')(t)).toBe('13:05');
    expect(timeFormatterFor(7 * 86_400_000, 'UTC')(t)).toBe('Jan 14, 04:05');
    expect(timeLabel(t, 'Asia/Seoul', true)).toBe('13:05:22');
    expect(timeLabel(t, 'UTC', false, true)).toBe('14 Jan, 04:05');
  });
});
