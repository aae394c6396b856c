import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatNumber, formatPercent, formatResponseTime } from './format';

describe('format', () => {
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
