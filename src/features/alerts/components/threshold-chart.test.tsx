import { render, screen, within } from '@testing-library/react';
import { ThresholdChart } from './threshold-chart';

describe('threshold chart', () => {
  it('names its series in a legend that does not switch them off (the threshold is drawn on the first)', () => {
    render(
      <ThresholdChart
        title="Metric with threshold 500 ms"
        series={[
          { name: 'shop-0-11-gunicorn', points: [[0, 300]] },
          { name: 'shop-0-12-gunicorn', points: [[0, 700]] },
        ]}
        threshold={500}
        thresholdLabel="> 500 ms"
        formatValue={String}
        formatTime={String}
        from={0}
        to={60_000}
      />,
    );
    const legend = screen.getByRole('list', { name: 'Metric with threshold 500 ms: series' });
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['shop-0-11-gunicorn', 'shop-0-12-gunicorn']);
    expect(within(legend).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Metric with threshold 500 ms' })).toBeInTheDocument();
  });
});
