import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatNumber, formatPercent, formatRelative, formatResponseTime, formatTime } from './format';

describe('format', () => {
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

  it('formats numbers, durations, bytes and percentages', () => {
    expect(formatNumber(12345.678)).toBe('12,346');
    expect(formatNumber(12.345, 1)).toBe('12.3');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatDuration(84)).toBe('84 ms');
    expect(formatDuration(1240)).toBe('1.24 s');
    expect(formatDuration(123_000)).toBe('2 min 3 s');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatPercent(0.425)).toBe('42.5%');
    expect(formatPercent(42.5, false)).toBe('42.5%');
  });

  it('puts a counted noun in the right number', () => {
    expect(formatCount(1, 'agent')).toBe('1 agent');
    expect(formatCount(0, 'agent')).toBe('0 agents');
    expect(formatCount(1200, 'transaction')).toBe('1,200 transactions');
    expect(formatCount(2, 'process', 'processes')).toBe('2 processes');
  });

  it('gives an interval without transactions no response time', () => {
    expect(formatResponseTime(0, 0)).toBe('—');
    expect(formatResponseTime(null, null)).toBe('—');
    expect(formatResponseTime(84, 12)).toBe('84 ms');
    expect(formatResponseTime(0, 0.2)).toBe('0 ms');
  });
});
