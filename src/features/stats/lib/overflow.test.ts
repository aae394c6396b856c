import { describe, expect, it } from 'vitest';
import type { StatRow } from '../../../api/stats';
import { OVERFLOW_NAME, overflowNote } from './overflow';

const row = (key: string, count: number): StatRow => ({ key, count, errors: 0, avg: 1, p50: 1, p95: 1, p99: 1, max: 1, total: count });

describe('the overflow note', () => {
  it('names the bounds that apply to the kind and counts the occurrences', () => {
    expect(overflowNote('sql', [row('SELECT 1', 3), row(OVERFLOW_NAME, 1)])).toBe(
      `Too many distinct SQL statements: 1 occurrence is counted in the row “${OVERFLOW_NAME}” instead of their own. ` +
        'The collector keeps at most 5,000 per project and day.',
    );
    expect(overflowNote('transactions', [row(OVERFLOW_NAME, 12_000)])).toContain('stat_tx_max_count names per process and hour');
  });

  it('is absent when every key has its own row', () => {
    expect(overflowNote('errors', [row('ValueError', 2)])).toBeNull();
  });
});
