import type { Step } from '../../../api/transactions';
import { stepGaps } from './steps-table';

const step = (start: number, elapsed: number): Step => ({ kind: 'sql', start, elapsed, text: 'x' });

describe('stepGaps', () => {
  it('measures idle time since the previous row, or since the start of a row still running', () => {
    // method 0.2–100 around: sql 5–20, message at 21, sql 30–40
    expect(stepGaps([step(0.2, 99.8), step(5, 15), step(21, 0), step(30, 10)])).toEqual([0.2, 4.8, 1, 9]);
  });
});
