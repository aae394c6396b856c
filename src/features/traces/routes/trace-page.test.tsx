import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { MOCK_PCODE } from '../../../../mock-server/data/agents';
import { MOCK_TRACE_ID, seedTraceNodes } from '../../../../mock-server/data/traces-seed';
import { server } from '../../../../mock-server/node';
import { traceRoutePattern, type Trace } from '../../../api/traces';
import { paths } from '../../../lib/paths';
import { renderApp } from '../../../testing/render-app';

const traceUrl = (traceId = MOCK_TRACE_ID, callSpanId?: string) => paths.trace(MOCK_PCODE, traceId, callSpanId);
const waterfall = async () => screen.findByRole('table', { name: 'Trace waterfall' }, { timeout: 8000 });
/** The body rows, each as its cells' text. */
const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);
const indentOf = (row: HTMLElement) => Number.parseInt(within(row).getAllByRole('cell')[0]!.style.paddingLeft, 10);

describe('trace view', () => {
  it('shows one row per transaction across services, indented under its caller, each linked to its profile', async () => {
    renderApp(traceUrl());
    const table = await waterfall();
    const rows = rowsOf(table);
    expect(rows).toHaveLength(4);
    const [checkout, reserve, charge, paid] = rows as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    expect(checkout).toHaveTextContent('Demo shop');
    expect(checkout).toHaveTextContent('shop-0-11-gunicorn');
    expect(checkout).toHaveTextContent('+0 ms');
    expect(checkout).toHaveTextContent('413 ms');
    expect(charge).toHaveTextContent('Billing API');
    expect(charge).toHaveTextContent('billing-0-21-uvicorn');
    expect(charge).toHaveTextContent('called by https://billing.internal/charge at +119 ms');
    expect(paid).toHaveTextContent('IntegrityError');
    expect(paid).toHaveTextContent('called by http://shop.internal/orders/1842/paid at +299 ms');
    expect([checkout, reserve, charge, paid].map(indentOf)).toEqual([12, 32, 32, 52]);
    expect(within(charge).getByRole('link', { name: 'POST /charge' })).toHaveAttribute('href', '/projects/billapi2/transactions/trace0charge00');
    expect(within(paid).getByRole('link', { name: 'POST /orders/{id}/paid' })).toHaveAttribute(
      'href',
      `/projects/${MOCK_PCODE}/transactions/trace0paid0000`,
    );
    expect(screen.getByText(MOCK_TRACE_ID)).toBeInTheDocument();
  });

  it('expands a transaction into its HTTP calls, each linked to the transaction it started', async () => {
    const { user } = renderApp(traceUrl());
    const table = await waterfall();
    await user.click(screen.getByRole('button', { name: 'Show the HTTP calls of POST /checkout' }));
    const rows = rowsOf(table);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toHaveTextContent('http://stock.internal:8000/reserve');
    expect(rows[1]).toHaveTextContent('+21 ms');
    expect(rows[2]).toHaveTextContent('https://billing.internal/charge');
    const toCharge = within(rows[2]!).getByRole('link', { name: 'POST /charge' });
    expect(toCharge).toHaveAttribute('href', '#trace-node-2');
    await user.click(toCharge);
    expect(document.activeElement).toHaveAttribute('id', 'trace-node-2');
    await user.click(screen.getByRole('button', { name: 'Hide the HTTP calls of POST /checkout' }));
    expect(rowsOf(table)).toHaveLength(4);
  });

  it('opens at the HTTP call a profile links to, with that call shown', async () => {
    const charge = seedTraceNodes().find((n) => n.url === '/charge')!;
    renderApp(traceUrl(MOCK_TRACE_ID, charge.calls[0]!.spanId));
    const table = await waterfall();
    const call = within(table).getByText('http://shop.internal/orders/1842/paid', { selector: '.trace-url' }).closest('tr')!;
    expect(call).toHaveClass('trace-row--target');
    expect(within(call).getByRole('link', { name: 'POST /orders/{id}/paid' })).toHaveAttribute('href', '#trace-node-3');
  });

  it('shows a service of a project the user cannot see as a grey row with none of its data', async () => {
    renderApp(traceUrl(), { signedInAs: 'dana' });
    const table = await waterfall();
    const rows = rowsOf(table);
    expect(rows).toHaveLength(4);
    expect(rows[2]).toHaveTextContent(/^a service in a project you cannot see$/);
    expect(rows[2]).toHaveClass('trace-row--hidden');
    expect(rows[3]).toHaveTextContent('called by a service in a project you cannot see');
    expect(table.textContent).not.toMatch(/Billing|billing|charge/);
  });

  it('says when the trace does not exist or none of it is visible', async () => {
    renderApp(traceUrl('0af7651916cd43dd8448eb211c80319c'));
    expect(await screen.findByText('This trace was not found, or you cannot see any of its services.', {}, { timeout: 8000 })).toBeInTheDocument();
  });

  it('shows an error with Retry when the trace cannot be loaded', async () => {
    server.use(http.get(traceRoutePattern, () => HttpResponse.json({ error: { code: 'internal', message: 'The store is down.' } }, { status: 500 })));
    renderApp(traceUrl());
    const alert = await screen.findByRole('alert', {}, { timeout: 8000 });
    expect(alert).toHaveTextContent('The trace could not be loaded');
    expect(alert).toHaveTextContent('The store is down.');
  });

  it('renders hostile URLs, names and errors as text', async () => {
    const hostile = '/search/<img src=x onerror=alert(1)>';
    const [root, child] = seedTraceNodes().map((n) => ({ ...n, projectName: '<b>Shop</b>' }));
    const body: Trace = {
      traceId: MOCK_TRACE_ID,
      nodes: [
        { ...root!, url: hostile, calls: [{ ...root!.calls[0]!, url: `http://x/${hostile}`, error: '<script>alert(1)</script>' }] },
        { ...child!, error: '<img src=y onerror=alert(2)>' },
      ],
    };
    server.use(http.get(traceRoutePattern, () => HttpResponse.json(body)));
    const { container, user } = renderApp(traceUrl());
    await waterfall();
    await user.click(screen.getByRole('button', { name: `Show the HTTP calls of POST ${hostile}` }));
    expect(screen.getByRole('link', { name: `POST ${hostile}` })).toBeInTheDocument();
    // The call's row, and the callee's "called by".
    expect(screen.getAllByText(`http://x/${hostile}`)).toHaveLength(2);
    expect(screen.getByText(/<script>alert\(1\)<\/script>/)).toBeInTheDocument();
    expect(screen.getByText(/<img src=y onerror=alert\(2\)>/)).toBeInTheDocument();
    expect(screen.getAllByText('<b>Shop</b>').length).toBe(2);
    expect(container.querySelector('img, script, b')).toBeNull();
  });
});
