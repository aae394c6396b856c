import { summarizeSelection } from './selection-panel';

describe('the selection summary', () => {
  it("shows the hitmap's count until the list answers", () => {
    expect(summarizeSelection({ count: 17, errors: 2 }, null, 'time')).toEqual({
      instant: '17 transactions in the hitmap (2 errors)',
      total: null,
    });
    expect(summarizeSelection({ count: 1, errors: 1 }, null, 'time').instant).toBe('1 transaction in the hitmap (1 error)');
  });

  it('says the count once when the list agrees', () => {
    expect(summarizeSelection({ count: 17, errors: 0 }, { total: 17, shown: 17 }, 'time')).toEqual({
      instant: null,
      total: '17 transactions',
    });
    expect(summarizeSelection({ count: 2_400, errors: 3 }, { total: 2_400, shown: 1_000 }, 'elapsed')).toEqual({
      instant: null,
      total: 'Showing 1,000 of 2,400 transactions (the slowest) — narrow the selection to see the rest (3 errors)',
    });
  });

  it('keeps the hitmap count beside the total only when they differ', () => {
    expect(summarizeSelection({ count: 20, errors: 1 }, { total: 17, shown: 17 }, 'time')).toEqual({
      instant: 'the hitmap shows 20 (1 error)',
      total: '17 transactions',
    });
    expect(summarizeSelection(null, { total: 1, shown: 1 }, 'time')).toEqual({ instant: null, total: '1 transaction' });
  });
});
