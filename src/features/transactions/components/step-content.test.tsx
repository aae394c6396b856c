import { render, screen } from '@testing-library/react';
import type { Step } from '../../../api/transactions';
import { StepContent } from './step-content';

const noReveal = { values: new Map<string, unknown>(), failed: new Set<string>() };
const sql = (fetch: number): Step => ({ kind: 'sql', start: 0, elapsed: 2, text: 'SELECT id FROM carts', fetch });

describe('SQL step', () => {
  it('counts the rows fetched in the right number', () => {
    const { unmount } = render(<StepContent step={sql(1)} reveal={noReveal} />);
    expect(screen.getByText('fetched 1 row')).toBeInTheDocument();
    unmount();
    render(<StepContent step={sql(1200)} reveal={noReveal} />);
    expect(screen.getByText('fetched 1,200 rows')).toBeInTheDocument();
  });
});
