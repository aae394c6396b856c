import { screen, waitFor, within } from '@testing-library/react';
import { MOCK_PCODE } from '../../../../mock-server/data/agents';
import { MOCK_TRACE_ID } from '../../../../mock-server/data/traces-seed';
import {
  DEMO_SECURITY_KEY,
  MASKED_NOTE,
  MASKED_ORIGINAL_VALUES,
  seedProfile,
  seedTransactions,
  XSS_SQL,
  XSS_URL,
} from '../../../../mock-server/data/transactions-seed';
import { decryptParams } from '../../../lib/paramkey';
import { renderApp } from '../../../testing/render-app';
import { lockSecurityKey } from '../../../lib/security-key-store';
import { fillSqlParams, formatSql } from '../lib/format-sql';

const profileUrl = (txid: string) => `/projects/${MOCK_PCODE}/transactions/${txid}`;
const recent = () => {
  const now = Date.now();
  return seedTransactions(now - 10 * 60_000, now - 5_000);
};

afterEach(() => lockSecurityKey());

describe('transaction profile', () => {
  it('shows the summary and the steps', async () => {
    const tx = recent().find((t) => t.url === '/checkout' && t.sqlCount >= 4)!;
    renderApp(profileUrl(tx.txid));
    expect(await screen.findByRole('heading', { level: 1 }, { timeout: 8000 })).toHaveTextContent(`POST ${tx.url}`);
    expect(screen.getByText(tx.objectName, { selector: 'dd' })).toBeInTheDocument();
    expect(screen.getByText(tx.txid)).toBeInTheDocument();
    const steps = screen.getByRole('tabpanel');
    // dbc + method + every SQL + the payment call (+ a message or an error step).
    const rows = within(steps).getAllByRole('row').slice(1);
    expect(rows.length).toBeGreaterThanOrEqual(tx.sqlCount + 3);
    expect(within(steps).getByText('https://payments.internal/v1/charges')).toBeInTheDocument();
    expect(within(steps).getAllByText(/bind values encrypted/)).toHaveLength(tx.sqlCount);
    expect(screen.getByText(/parameters encrypted — enter the security key/)).toBeInTheDocument();
  });

  it('reveals HTTP parameters and fills SQL bind values with the right key', async () => {
    const tx = recent().find((t) => t.url === '/checkout')!;
    const profile = (await seedProfile(tx.txid))!;
    const firstSql = profile.steps.find((s) => s.kind === 'sql')!;
    const { user } = renderApp(profileUrl(tx.txid));
    await screen.findByText(/parameters encrypted — enter the security key/, {}, { timeout: 8000 });
    await user.type(screen.getByLabelText('Security key'), DEMO_SECURITY_KEY);
    await user.click(screen.getByRole('button', { name: 'Reveal' }));

    expect(await screen.findByText(/Parameters decrypted in this browser/, {}, { timeout: 10_000 })).toBeInTheDocument();
    const params = screen.getByRole('table', { name: 'HTTP parameters' });
    expect(within(params).getByText('coupon')).toBeInTheDocument();
    expect(within(params).getByText('WELCOME10')).toBeInTheDocument();
    // The values filled in are the ones the agent sealed (decrypted independently here).
    const binds = (await decryptParams(firstSql.params!, DEMO_SECURITY_KEY)) as unknown[];
    const filled = formatSql(fillSqlParams(firstSql.text, binds));
    expect(filled).not.toContain('?');
    expect(screen.getAllByText((_, el) => el?.tagName === 'PRE' && el.textContent === filled).length).toBeGreaterThan(0);
    expect(screen.queryByText(/bind values encrypted/)).toBeNull();
  });

  it('refuses a wrong key with exactly "wrong security key"', async () => {
    const tx = recent().find((t) => t.url === '/search')!;
    const { user } = renderApp(profileUrl(tx.txid));
    await screen.findByText(/parameters encrypted — enter the security key/, {}, { timeout: 8000 });
    await user.type(screen.getByLabelText('Security key'), 'WRONG2SECURITYKEY7AB');
    await user.click(screen.getByRole('button', { name: 'Reveal' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent(/^wrong security key$/);
    expect(screen.getByText(/HTTP parameters encrypted/)).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'HTTP parameters' })).toBeNull();
  });

  it('renders hostile URL, SQL, error message and stack as text', async () => {
    const now = Date.now();
    const xss = seedTransactions(now - 5 * 60_000, now).find((t) => t.url === XSS_URL)!;
    const { container } = renderApp(profileUrl(xss.txid));
    expect(await screen.findByText(XSS_URL, {}, { timeout: 8000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText(/<script>alert\(1\)<\/script>/).length).toBeGreaterThan(0));
    expect(screen.getByText((_, el) => el?.tagName === 'PRE' && el.textContent === formatSql(XSS_SQL))).toBeInTheDocument();
    expect(screen.getByText(/<b>unclosed<\/b> tag/, { selector: 'p' })).toBeInTheDocument();
    expect(container.querySelector('img, script, b')).toBeNull();
  });

  it('shows a masked error text and reveals its original only with the key', async () => {
    const now = Date.now();
    const tx = seedTransactions(now - 60 * 60_000, now - 5_000).find((t) => t.url === '/cart/items' && t.error)!;
    const { user } = renderApp(profileUrl(tx.txid));
    await screen.findByText(/parameters encrypted — enter the security key/, {}, { timeout: 8000 });
    const steps = screen.getByRole('tabpanel');
    expect(within(steps).getByText(/Key \(cart_id, product_id\)=\(#, #\) already exists/)).toBeInTheDocument();
    expect(within(steps).getByText(MASKED_NOTE)).toBeInTheDocument();
    expect(within(steps).getByText(/original text encrypted/)).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(MASKED_ORIGINAL_VALUES);

    await user.type(screen.getByLabelText('Security key'), DEMO_SECURITY_KEY);
    await user.click(screen.getByRole('button', { name: 'Reveal' }));
    const original = await screen.findByLabelText('Original error text', {}, { timeout: 10_000 });
    expect(original).toHaveTextContent(`Key (cart_id, product_id)=(${MASKED_ORIGINAL_VALUES}) already exists`);
  });

  it('links a traced profile to its whole trace, and each traced HTTP call to its place there', async () => {
    renderApp(profileUrl('trace0checkout'));
    const link = await screen.findByRole('link', { name: 'View the whole trace' }, { timeout: 8000 });
    expect(link).toHaveAttribute('href', `/projects/${MOCK_PCODE}/traces/${MOCK_TRACE_ID}`);
    const steps = screen.getByRole('tabpanel');
    const calls = within(steps).getAllByRole('link', { name: 'Callee in the trace' });
    expect(calls.map((a) => a.getAttribute('href'))).toEqual([
      `/projects/${MOCK_PCODE}/traces/${MOCK_TRACE_ID}#call-00f067aa0ba902b7`,
      `/projects/${MOCK_PCODE}/traces/${MOCK_TRACE_ID}#call-53995c3f42cd8ad8`,
    ]);
  });

  it('has no trace link when the transaction was not traced', async () => {
    const tx = recent().find((t) => t.url === '/checkout')!;
    renderApp(profileUrl(tx.txid));
    await screen.findByRole('heading', { level: 1 }, { timeout: 8000 });
    expect(within(screen.getByRole('tabpanel')).getByText('https://payments.internal/v1/charges')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'View the whole trace' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Callee in the trace' })).toBeNull();
  });

  it('says when a transaction does not exist', async () => {
    renderApp(profileUrl('t1zzzzzz99'));
    expect(await screen.findByText('Transaction not found', {}, { timeout: 8000 })).toBeInTheDocument();
  });
});
