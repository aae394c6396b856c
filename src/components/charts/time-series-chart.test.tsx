import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TimeSeriesChart } from './time-series-chart';

const agents = ['shop-0-11-gunicorn', 'shop-0-12-gunicorn', 'shop-0-13-uwsgi', 'shop-0-14-uwsgi'];

describe('time-series chart legend', () => {
  it('lists every series of a four-agent chart, with no pager, and switches one off and on', async () => {
    const user = userEvent.setup();
    render(
      <TimeSeriesChart
        title="CPU per agent"
        series={agents.map((name) => ({ name, points: [[0, 10]] }))}
        formatValue={String}
        formatTime={String}
        from={0}
        to={60_000}
      />,
    );
    const legend = screen.getByRole('list', { name: 'CPU per agent: series' });
    const items = within(legend).getAllByRole('button');
    expect(items.map((b) => b.textContent)).toEqual(agents);
    expect(legend).not.toHaveTextContent(/\d+\/\d+/);
    const third = within(legend).getByRole('button', { name: 'shop-0-13-uwsgi' });
    expect(third).toHaveAttribute('aria-pressed', 'true');
    await user.click(third);
    expect(third).toHaveAttribute('aria-pressed', 'false');
    await user.click(third);
    expect(third).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows no legend for a single series', () => {
    render(<TimeSeriesChart title="TPS" series={[{ name: 'TPS', points: [] }]} formatValue={String} formatTime={String} from={0} to={1} />);
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });
});
