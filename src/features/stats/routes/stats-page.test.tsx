import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { routePatterns } from '../../../api/paths';
import { statTableSchema, type StatRow, type StatTable } from '../../../api/stats';
import { server } from '../../../../mock-server/node';
import { renderApp } from '../../../testing/render-app';
import { OVERFLOW_NAME } from '../lib/overflow';

/** The last statistics table the mock API answered. */
function captureStats(): { latest: () => StatTable | undefined } {
  let latest: StatTable | undefined;
  server.events.on('response:mocked', async ({ request, response }) => {
    if (new URL(request.url).pathname.includes('/stats/')) latest = statTableSchema.parse(await response.clone().json());
  });
  return { latest: () => latest };
}

/** Catches the CSV the page hands to the browser for download. */
function captureDownloads(): { files: Array<{ name: string; text: () => Promise<string> }> } {
  const files: Array<{ name: string; text: () => Promise<string> }> = [];
  let lastBlob: Blob | undefined;
  URL.createObjectURL = (blob: Blob) => {
    lastBlob = blob;
    return 'blob:mock';
  };
  URL.revokeObjectURL = () => {};
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = lastBlob!;
    // jsdom's Blob has no text(); FileReader reads it as the browser would.
    const text = () =>
      new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsText(blob);
      });
    files.push({ name: this.download, text });
  });
  return { files };
}

afterEach(() => {
  server.events.removeAllListeners();
  vi.restoreAllMocks();
});

const table = () => screen.getByRole('table');
const firstColumn = () =>
  within(table())
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]!.textContent);

const byDesc = (pick: (r: StatRow) => number) => (a: StatRow, b: StatRow) =>
  pick(b) - pick(a) || a.key.localeCompare(b.key);

describe('statistics', () => {
  it('lists the transactions of the range, sorted by total time, and sorts by any header', async () => {
    const api = captureStats();
    const { user, router } = renderApp('/projects/demoshop/stats');
    await screen.findByRole('table', {}, { timeout: 10_000 });
    const rows = api.latest()!.rows;
    expect(firstColumn()).toEqual([...rows].sort(byDesc((r) => r.total)).map((r) => r.key));

    await user.click(within(table()).getByRole('button', { name: 'Count' }));
    expect(firstColumn()).toEqual([...rows].sort(byDesc((r) => r.count)).map((r) => r.key));
    expect(within(table()).getByRole('columnheader', { name: /Count/ })).toHaveAttribute('aria-sort', 'descending');
    expect(router.state.location.search).toContain('sort=count');

    await user.click(within(table()).getByRole('button', { name: 'Count' }));
    expect(within(table()).getByRole('columnheader', { name: /Count/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(firstColumn()[0]).toBe([...rows].sort(byDesc((r) => r.count)).at(-1)!.key);

    await user.click(within(table()).getByRole('button', { name: 'URL' }));
    expect(firstColumn()).toEqual([...rows].map((r) => r.key).sort((a, b) => a.localeCompare(b)));
  }, 20_000);

  it('searches the rows and keeps the search in the URL', async () => {
    const { user, router } = renderApp('/projects/demoshop/stats?kind=sql');
    await screen.findByRole('table', {}, { timeout: 10_000 });
    await user.type(screen.getByRole('searchbox', { name: 'Search SQL' }), 'insert into');
    const keys = firstColumn();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k!.toLowerCase().includes('insert into'))).toBe(true);
    expect(new URLSearchParams(router.state.location.search).get('q')).toBe('insert into');

    await user.clear(screen.getByRole('searchbox', { name: 'Search SQL' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search SQL' }), 'no such statement');
    expect(screen.getByText('Nothing matches “no such statement”.')).toBeInTheDocument();
  }, 20_000);

  it('switches tabs through the URL and links errors to an example transaction', async () => {
    const api = captureStats();
    const { user, router } = renderApp('/projects/demoshop/stats');
    await screen.findByRole('table', {}, { timeout: 10_000 });
    await user.click(screen.getByRole('tab', { name: 'Errors' }));
    expect(new URLSearchParams(router.state.location.search).get('kind')).toBe('errors');
    await waitFor(() => expect(api.latest()?.kind).toBe('errors'));
    await waitFor(() => expect(within(table()).getByRole('button', { name: 'Message' })).toBeInTheDocument());

    const top = [...api.latest()!.rows].sort(byDesc((r) => r.count))[0]!;
    const link = screen.getByRole('link', { name: `Example transaction of ${top.key}` });
    expect(link).toHaveAttribute('href', `/projects/demoshop/transactions/${top.exampleTxid}`);
    // Markup in error messages is shown as text.
    expect(document.querySelector('table script, table img, table b')).toBeNull();
  }, 20_000);

  it('exports the shown rows as CSV with quoting and a formula guard', async () => {
    const rows: StatRow[] = [
      { key: 'ValueError', count: 7, errors: 7, avg: 12, p50: 10, p95: 20, p99: 30, max: 40, total: 84,
        message: 'bad value, "x" given\nsecond line', url: '/a,b', lastSeen: Date.UTC(2025, 0, 14, 13, 5), exampleTxid: 'tx0001abcd' },
      { key: '@SUM(A1)', count: 3, errors: 3, avg: 1, p50: 1, p95: 1, p99: 1, max: 1, total: 3,
        message: '=HYPERLINK("http://evil.example")', url: '-1+2', lastSeen: Date.UTC(2025, 0, 14, 13, 6) },
    ];
    server.use(http.get(routePatterns.stats, () => HttpResponse.json({ kind: 'errors', rows })));
    const downloads = captureDownloads();
    const { user } = renderApp('/projects/demoshop/stats?kind=errors');
    await screen.findByRole('table', {}, { timeout: 10_000 });
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));

    expect(downloads.files).toHaveLength(1);
    expect(downloads.files[0]!.name).toMatch(/^tapscope-demoshop-errors-\d{8}T\d{4}-\d{8}T\d{4}\.csv$/);
    const text = (await downloads.files[0]!.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')).toEqual([
      'Class,Message,URL,Count,Last seen,Example transaction',
      'ValueError,"bad value, ""x"" given\nsecond line","/a,b",7,2025-01-14T13:05:00.000Z,tx0001abcd',
      `'@SUM(A1),"'=HYPERLINK(""http://evil.example"")",'-1+2,3,2025-01-14T13:06:00.000Z,`,
      '',
    ]);

    // The export follows the search.
    await user.type(screen.getByRole('searchbox', { name: 'Search Errors' }), 'valueerror');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect((await downloads.files[1]!.text()).split('\r\n')).toHaveLength(3);
  }, 20_000);

  it('says why the overflow row is there when the bound on distinct names was reached', async () => {
    const row = (key: string, count: number): StatRow => ({ key, count, errors: 0, avg: 5, p50: 5, p95: 5, p99: 5, max: 5, total: 5 * count });
    server.use(
      http.get(routePatterns.stats, () =>
        HttpResponse.json({ kind: 'transactions', rows: [row('/items/{item_id}', 40), row(OVERFLOW_NAME, 1234)] }),
      ),
    );
    renderApp('/projects/demoshop/stats');
    await screen.findByRole('table', {}, { timeout: 10_000 });
    expect(screen.getByRole('note')).toHaveTextContent(
      `Too many distinct transaction names: 1,234 occurrences are counted in the row “${OVERFLOW_NAME}”`,
    );
    expect(within(table()).getByText(OVERFLOW_NAME)).toBeInTheDocument();
  }, 20_000);

  it('shows no overflow note while every name has its own row', async () => {
    renderApp('/projects/demoshop/stats');
    await screen.findByRole('table', {}, { timeout: 10_000 });
    expect(screen.queryByRole('note')).toBeNull();
  }, 20_000);
});
