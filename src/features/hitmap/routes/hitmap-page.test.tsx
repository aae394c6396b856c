import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MOCK_PCODE } from '../../../../mock-server/data/agents';
import { MOCK_OUTAGE } from '../../../../mock-server/data/counters-seed';
import { seedTransactions, XSS_URL } from '../../../../mock-server/data/transactions-seed';
import { renderApp } from '../../../testing/render-app';
import { formatCount, formatNumber } from '../../../lib/format';

const hitmapUrl = (search = '') => `/projects/${MOCK_PCODE}/hitmap${search}`;

// jsdom has no PointerEvent: give pointer events their mouse coordinates.
beforeAll(() => {
  if (typeof window.PointerEvent === 'undefined') {
    class PointerEventShim extends MouseEvent {
      readonly pointerId: number;
      constructor(type: string, init: PointerEventInit = {}) {
        super(type, init);
        this.pointerId = init.pointerId ?? 1;
      }
    }
    window.PointerEvent = PointerEventShim as unknown as typeof PointerEvent;
  }
});

describe('hitmap page', () => {
  it('draws the live window and says how many transactions and errors it shows', async () => {
    renderApp(hitmapUrl());
    const count = await screen.findByText(/^[\d,]+ transactions? · [\d,]+ errors?$/, {}, { timeout: 8000 });
    const [shown, errors] = count.textContent!.match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')));
    const now = Date.now();
    const expected = seedTransactions(now - 10 * 60_000, now);
    // The window moves with the clock: allow the seconds between the page's fetch and ours.
    expect(expected.length).toBeGreaterThan(1000);
    expect(Math.abs(shown! - expected.length)).toBeLessThan(expected.length * 0.03);
    expect(errors).toBeGreaterThan(0);
    expect(screen.getByRole('img', { name: /Transaction hitmap: [\d,]+ transactions/ })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Live/ })).toHaveAttribute('aria-pressed', 'true');
  });

  it('lists the transactions of a selection from the URL, with the server total', async () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const from = to - 5 * 60_000;
    const sel = { sf: from + 60_000, st: from + 180_000, smin: 900 };
    const expected = seedTransactions(sel.sf, sel.st).filter((t) => t.elapsed >= sel.smin);
    expect(expected.length).toBeGreaterThan(0);
    renderApp(hitmapUrl(`?mode=range&from=${from}&to=${to}&sf=${sel.sf}&st=${sel.st}&smin=${sel.smin}`));

    const total = await screen.findByTestId('selection-total', {}, { timeout: 8000 });
    expect(total).toHaveTextContent(`${formatNumber(expected.length)} transaction`);
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(expected.length);
    // Newest first by default.
    const newest = [...expected].sort((a, b) => b.end - a.end)[0]!;
    expect(within(rows[0]!).getByText(newest.url)).toBeInTheDocument();
    expect(within(rows[0]!).getByRole('link')).toHaveAttribute(
      'href',
      `/projects/${MOCK_PCODE}/transactions/${newest.txid}`,
    );
    // The instant count from the typed arrays agrees with the server: the total is said once,
    // with the errors the hitmap counted, and no second count beside it.
    const errors = expected.filter((t) => t.error !== null).length;
    const suffix = errors > 0 ? ` (${formatCount(errors, 'error')})` : '';
    await waitFor(() => expect(total.textContent).toBe(`${formatCount(expected.length, 'transaction')}${suffix}`));
    expect(screen.queryByTestId('selection-instant')).not.toBeInTheDocument();
    expect(total.parentElement).not.toHaveTextContent(/in the hitmap|transactions.*transactions/);
  });

  it('sorts the list by a column', async () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const from = to - 3 * 60_000;
    const { user } = renderApp(hitmapUrl(`?mode=range&from=${from}&to=${to}&sf=${from}&st=${to}&smin=700`));
    await screen.findByTestId('selection-total', {}, { timeout: 8000 });
    await user.click(screen.getByRole('button', { name: 'Elapsed' }));
    const cells = () =>
      within(screen.getByRole('table'))
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.children[3]!.textContent!);
    const seconds = (t: string) => (t.endsWith(' ms') ? parseFloat(t) / 1000 : parseFloat(t.replace(/,/g, '')));
    await waitFor(() => expect(screen.getByRole('columnheader', { name: /Elapsed/ })).toHaveAttribute('aria-sort', 'descending'));
    const values = cells().map(seconds);
    expect(values.length).toBeGreaterThan(1);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('drag-selects on the plot: instant count, then the list, and the rectangle goes to the URL', async () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const from = to - 10 * 60_000;
    const { router } = renderApp(hitmapUrl(`?mode=range&from=${from}&to=${to}&y=5000`));
    await screen.findByText(/^[\d,]+ transactions? · /, {}, { timeout: 8000 });
    const plot = screen.getByTestId('hitmap-plot');
    // jsdom has no layout: the plot starts at client (0, 0); the canvas is 800 − margins wide.
    fireEvent.pointerDown(plot, { button: 0, clientX: 100, clientY: 10, pointerId: 1 });
    fireEvent.pointerMove(plot, { clientX: 300, clientY: 250, pointerId: 1 });
    fireEvent.pointerUp(plot, { clientX: 300, clientY: 250, pointerId: 1 });

    await waitFor(() => expect(router.state.location.search).toContain('sf='));
    const params = new URLSearchParams(router.state.location.search);
    const sf = Number(params.get('sf'));
    const st = Number(params.get('st'));
    const smin = Number(params.get('smin') ?? 0);
    const smax = Number(params.get('smax'));
    expect(sf).toBeGreaterThan(from);
    expect(st).toBeLessThan(to);
    expect(smax).toBeGreaterThan(smin);
    const expected = seedTransactions(sf, st).filter((t) => t.elapsed >= smin && t.elapsed <= smax);
    const total = await screen.findByTestId('selection-total', {}, { timeout: 8000 });
    expect(total.textContent).toMatch(new RegExp(`(^|of )${formatNumber(expected.length)} transaction`));
    // The hitmap counted the same rectangle: one count, not two, with the errors it counted.
    const errors = expected.filter((t) => t.error !== null).length;
    if (errors > 0) await waitFor(() => expect(total).toHaveTextContent(`(${formatCount(errors, 'error')})`));
    await waitFor(() => expect(screen.queryByTestId('selection-instant')).not.toBeInTheDocument());
  });

  it('a drag on the live view counts the points that arrived after its last poll, as the list does', async () => {
    const { router } = renderApp(hitmapUrl('?win=1m&y=5000'));
    await screen.findByText(/^[\d,]+ transactions? · /, {}, { timeout: 8000 });
    // Transactions keep arriving: the drag freezes the view after the last poll.
    await act(() => new Promise((resolve) => setTimeout(resolve, 1_500)));
    const plot = screen.getByTestId('hitmap-plot');
    fireEvent.pointerDown(plot, { button: 0, clientX: 300, clientY: 0, pointerId: 1 });
    fireEvent.pointerMove(plot, { clientX: 5000, clientY: 5000, pointerId: 1 });
    fireEvent.pointerUp(plot, { clientX: 5000, clientY: 5000, pointerId: 1 });
    await waitFor(() => expect(router.state.location.search).toContain('mode=range'));

    const total = await screen.findByTestId('selection-total', {}, { timeout: 8000 });
    const listed = Number(total.textContent!.match(/[\d,]+/)![0].replace(/,/g, ''));
    expect(listed).toBeGreaterThan(0);
    // The browser's count agrees with the list: said once, so no "N in the hitmap" beside it.
    await waitFor(() => expect(screen.queryByTestId('selection-instant')).not.toBeInTheDocument());
    expect(total.parentElement).not.toHaveTextContent(/in the hitmap/);
  });

  it('maps a drag through the log Y axis remembered in the URL', async () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const from = to - 10 * 60_000;
    const { router } = renderApp(hitmapUrl(`?mode=range&from=${from}&to=${to}&y=10000&ys=log`));
    await screen.findByText(/^[\d,]+ transactions? · /, {}, { timeout: 8000 });
    expect(screen.getByRole('checkbox', { name: 'Log scale' })).toBeChecked();
    // jsdom: the plot is 380 − 34 = 346 px high. From the top edge to half way down selects
    // everything above √10,000 ≈ 100 ms on a log axis (5 s on a linear one).
    const plot = screen.getByTestId('hitmap-plot');
    fireEvent.pointerDown(plot, { button: 0, clientX: 100, clientY: 0, pointerId: 1 });
    fireEvent.pointerMove(plot, { clientX: 400, clientY: 173, pointerId: 1 });
    fireEvent.pointerUp(plot, { clientX: 400, clientY: 173, pointerId: 1 });
    await waitFor(() => expect(router.state.location.search).toContain('smin='));
    const params = new URLSearchParams(router.state.location.search);
    expect(Number(params.get('smin'))).toBeGreaterThanOrEqual(95);
    expect(Number(params.get('smin'))).toBeLessThanOrEqual(105);
    expect(params.has('smax')).toBe(false);
    expect(params.get('ys')).toBe('log');
  });

  it('switches the Y axis to log and back from the toolbar', async () => {
    const { user, router } = renderApp(hitmapUrl('?mode=range'));
    await screen.findByText(/^[\d,]+ transactions? · /, {}, { timeout: 8000 });
    await user.click(screen.getByRole('checkbox', { name: 'Log scale' }));
    expect(new URLSearchParams(router.state.location.search).get('ys')).toBe('log');
    await user.click(screen.getByRole('checkbox', { name: 'Log scale' }));
    expect(new URLSearchParams(router.state.location.search).has('ys')).toBe(false);
  });

  it('pauses the live view while the mouse is down, so the drag selects what was under it', async () => {
    const { router } = renderApp(hitmapUrl('?win=1m&y=5000'));
    await screen.findByText(/^[\d,]+ transactions? · /, {}, { timeout: 8000 });
    const plot = screen.getByTestId('hitmap-plot');
    const downAt = Date.now();
    fireEvent.pointerDown(plot, { button: 0, clientX: 300, clientY: 0, pointerId: 1 });
    expect(await screen.findByText('Live · paused while you drag')).toBeInTheDocument();
    fireEvent.pointerMove(plot, { clientX: 700, clientY: 300, pointerId: 1 });
    // The clock moves on for a few seconds (a poll included); the window does not.
    await act(() => new Promise((resolve) => setTimeout(resolve, 3_000)));
    fireEvent.pointerUp(plot, { clientX: 700, clientY: 300, pointerId: 1 });
    await waitFor(() => expect(router.state.location.search).toContain('mode=range'));
    const shownTo = Number(new URLSearchParams(router.state.location.search).get('to'));
    expect(shownTo).toBeLessThanOrEqual(downAt + 1_000);
    expect(screen.queryByText('Live · paused while you drag')).not.toBeInTheDocument();
  });

  it('counts one transaction and one error in the singular', async () => {
    const now = Date.now();
    const xss = seedTransactions(now - 5 * 60_000, now - 60_000).find((t) => t.url === XSS_URL)!;
    const q = new URLSearchParams({ mode: 'range', from: String(Math.floor(xss.end) - 1_000), to: String(Math.ceil(xss.end) + 1_000), url: XSS_URL });
    renderApp(hitmapUrl(`?${q}`));
    expect(await screen.findByText('1 transaction · 1 error', {}, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Transaction hitmap: 1 transaction, 1 error' })).toBeInTheDocument();
  });

  it('shows hostile URLs as text', async () => {
    const now = Date.now();
    const xss = seedTransactions(now - 5 * 60_000, now - 60_000).find((t) => t.url === XSS_URL)!;
    const { container } = renderApp(
      hitmapUrl(`?mode=range&from=${xss.end - 60_000}&to=${xss.end + 60_000}&sf=${Math.floor(xss.end)}&st=${Math.ceil(xss.end)}&smin=${Math.floor(xss.elapsed)}&smax=${Math.ceil(xss.elapsed)}`),
    );
    expect(await screen.findByText(XSS_URL, {}, { timeout: 8000 })).toBeInTheDocument();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
  });

  it('shades the ranges where an agent dropped transactions, and says why', async () => {
    const from = MOCK_OUTAGE.from - 5 * 60_000;
    const to = MOCK_OUTAGE.to + 5 * 60_000;
    renderApp(hitmapUrl(`?mode=range&from=${from}&to=${to}`));
    const list = await screen.findByRole('list', { name: 'Transactions not recorded' }, { timeout: 8000 });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent(/[\d,]+ transactions not recorded by shop-0-12-gunicorn: agent buffer full/);
    await waitFor(() => expect(screen.getAllByTestId('hitmap-band')).toHaveLength(1));
    expect(screen.getByLabelText('Legend')).toHaveTextContent('not recorded');
  });

  it('shows no band where nothing was dropped', async () => {
    const to = MOCK_OUTAGE.from - 60_000;
    renderApp(hitmapUrl(`?mode=range&from=${to - 5 * 60_000}&to=${to}`));
    await screen.findByText(/^[\d,]+ transactions? · [\d,]+ errors?$/, {}, { timeout: 8000 });
    expect(screen.queryByRole('list', { name: 'Transactions not recorded' })).toBeNull();
    expect(screen.queryAllByTestId('hitmap-band')).toHaveLength(0);
  });
});
