import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../../../mock-server/db';
import { renderApp } from '../../../testing/render-app';

// ECharts needs a canvas; jsdom has none. A stand-in records what the charts were given.
const charts = vi.hoisted(() => ({ options: [] as unknown[] }));
vi.mock('../../../components/charts/load-echarts', () => ({
  loadEcharts: () =>
    Promise.resolve({
      init: () => ({ setOption: (o: unknown) => charts.options.push(o), resize: () => {}, dispose: () => {} }),
    }),
}));
afterEach(() => {
  charts.options.length = 0;
});

/** The threshold lines drawn by the last chart option that had one. */
function lastThresholdLine(): unknown {
  const withLine = (charts.options as Array<{ series?: Array<{ markLine?: { data: unknown } }> }>).filter((o) => o.series?.[0]?.markLine);
  return withLine[withLine.length - 1]?.series?.[0]?.markLine?.data;
}

const DEMO = '/projects/demoshop/alerts';

function asViewer() {
  db.members.push({ pcode: 'demoshop', userId: 3, role: 'viewer' });
  return 'lee';
}

describe('alerts page: incidents', () => {
  it('lists open incidents first and filters by state and severity through the URL', async () => {
    const { user, router } = renderApp(DEMO);
    const table = await screen.findByRole('table', { name: 'Incidents' });
    const rows = () => within(table).getAllByRole('row').slice(1);
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent('Agent stopped sending');
    expect(rows()[0]).toHaveTextContent('shop-0-14-uwsgi');
    expect(rows()[0]).toHaveTextContent('Critical');
    expect(rows()[0]).toHaveTextContent('Open');

    await user.selectOptions(screen.getByRole('combobox', { name: 'State' }), 'resolved');
    await waitFor(() => expect(rows().map((r) => within(r).getAllByRole('cell')[1]!.textContent)).toEqual([
      'Checkout is slowWhole project',
      'Error rate over 5%Whole project',
    ]));
    expect(rows()[0]).toHaveTextContent('acknowledged by dana');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), 'warning');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('7.4%');
    expect(router.state.location.search).toBe('?state=resolved&severity=warning');
  });

  it('says what to do when a project has no rule yet', async () => {
    renderApp('/projects/billapi2/alerts');
    expect(await screen.findByRole('heading', { name: 'No open incident' })).toBeInTheDocument();
    expect(screen.getByText('Nothing can fire yet: create a rule in the Rules tab.')).toBeInTheDocument();
  });

  it('shows the count and worst severity beside Alerts in the navigation and on the project list', async () => {
    renderApp('/projects');
    const table = await screen.findByRole('table');
    const demo = within(table).getByText('Demo shop').closest('tr')!;
    expect(await within(demo).findByRole('link', { name: '1 open incident · critical' })).toHaveAttribute('href', DEMO);
    const billing = within(table).getByText('Billing API').closest('tr')!;
    expect(within(billing).getByText('No open incident')).toBeInTheDocument();
  });

  it('shows the open incidents on the dashboard, linking to the alerts', async () => {
    renderApp('/projects/demoshop/dashboard');
    expect(await screen.findByRole('link', { name: '1 open incident · critical' })).toHaveAttribute('href', DEMO);
    const nav = screen.getByRole('navigation', { name: 'Project' });
    expect(within(nav).getByRole('link', { name: /Alerts/ })).toHaveTextContent('Alerts1');
  });
});

describe('alerts page: rules', () => {
  it('creates a rule: the API’s error is shown next to its field, the preview counts firings', async () => {
    const { user } = renderApp(`${DEMO}?tab=rules`);
    const table = await screen.findByRole('table', { name: 'Alert rules' });
    expect(within(table).getAllByRole('row')).toHaveLength(5);
    await user.click(screen.getByRole('button', { name: 'New rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'New alert rule' });
    const form = within(dialog).getByRole('form', { name: 'Alert rule' });
    await user.type(within(form).getByLabelText('Name'), 'Slow checkout');
    // The default rule (average response time > 500 ms over 5 min) previews at once.
    expect(await within(dialog).findByText(/^Would have fired \d+ times? in the last hour\.$/)).toBeInTheDocument();
    await waitFor(() => expect(lastThresholdLine()).toEqual([{ yAxis: 500 }]));
    await user.click(within(dialog).getByRole('button', { name: 'Last day' }));
    expect(await within(dialog).findByText(/^Would have fired \d+ times? in the last day\.$/)).toBeInTheDocument();

    await user.selectOptions(within(form).getByLabelText('Condition'), 'apdex_below');
    const threshold = within(form).getByLabelText('Threshold');
    await user.clear(threshold);
    await user.type(threshold, '1.5');
    await user.click(within(dialog).getByRole('button', { name: 'Create rule' }));
    expect(await within(form).findByText('Apdex threshold must be between 0 and 1')).toBeInTheDocument();
    expect(threshold).toHaveAttribute('aria-invalid', 'true');

    await user.clear(threshold);
    await user.type(threshold, '0.9');
    expect(threshold).not.toHaveAttribute('aria-invalid');
    await waitFor(() => expect(lastThresholdLine()).toEqual([{ yAxis: 0.9 }]));
    await user.click(within(form).getByRole('checkbox', { name: /Ops webhook/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Create rule' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const row = (await within(table).findByText('Slow checkout')).closest('tr')!;
    expect(row).toHaveTextContent('apdex < 0.9 over 5 min');
    expect(row).toHaveTextContent('Ops webhook');
    expect(row).toHaveTextContent('not checked yet');
  });

  it('names an unknown agent or a bad repeat schedule next to the field', async () => {
    const { user } = renderApp(`${DEMO}?tab=rules`);
    await user.click(await screen.findByRole('button', { name: 'New rule' }));
    const dialog = await screen.findByRole('dialog');
    const form = within(dialog).getByRole('form', { name: 'Alert rule' });
    await user.type(within(form).getByLabelText('Name'), 'x');
    const repeat = within(form).getByLabelText('Repeat');
    await user.clear(repeat);
    await user.type(repeat, 'hourly');
    await user.click(within(dialog).getByRole('button', { name: 'Create rule' }));
    expect(await within(form).findByText('Write the repeat schedule as delays like 0,1H,1D (units m, H, D)')).toBeInTheDocument();
  });

  it('disables, edits and deletes a rule', async () => {
    const { user } = renderApp(`${DEMO}?tab=rules`);
    const table = await screen.findByRole('table', { name: 'Alert rules' });
    await user.click(within(table).getByRole('button', { name: 'Disable Error rate over 5%' }));
    expect(await within(table).findByRole('button', { name: 'Enable Error rate over 5%' })).toBeInTheDocument();
    expect(within(table).getByText('Error rate over 5%').closest('tr')).toHaveTextContent('Disabled');

    await user.click(within(table).getByRole('button', { name: 'Edit Checkout is slow' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit rule “Checkout is slow”' });
    const threshold = within(dialog).getByLabelText('Threshold');
    expect(threshold).toHaveValue('800');
    await user.clear(threshold);
    await user.type(threshold, '650');
    await user.click(within(dialog).getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await within(table).findByText(/average response time > 650 ms over 5 min, for 1 min/)).toBeInTheDocument();

    await user.click(within(table).getByRole('button', { name: 'Delete No traffic on web-3' }));
    await user.click(await screen.findByRole('button', { name: 'Delete rule' }));
    await waitFor(() => expect(within(table).queryByText('No traffic on web-3')).not.toBeInTheDocument());
  });

  it('links each rule to its incidents, old and open', async () => {
    const { user, router } = renderApp(`${DEMO}?tab=rules`);
    await user.click(await screen.findByRole('link', { name: 'Incidents of Checkout is slow' }));
    const table = await screen.findByRole('table', { name: 'Incidents' });
    expect(router.state.location.search).toBe('?state=all&rule=1');
    expect(screen.getByRole('combobox', { name: 'Rule' })).toHaveDisplayValue('Checkout is slow');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('1,342 ms');
  });

  it('is read-only for viewers', async () => {
    renderApp(`${DEMO}?tab=rules`, { signedInAs: asViewer() });
    await screen.findByRole('table', { name: 'Alert rules' });
    expect(screen.getByText(/You have read-only access/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New rule' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^(Edit|Delete|Disable)/ })).not.toBeInTheDocument();
  });
});

describe('alerts page: channels', () => {
  it('adds a webhook: secrets are write-only, the API’s error names the field, a test shows its result', async () => {
    const { user } = renderApp(`${DEMO}?tab=channels`);
    const ops = await screen.findByRole('article', { name: 'Channel Ops webhook' });
    expect(ops).toHaveTextContent('Signing secret set (••••••3f9a)');
    expect(document.body).not.toHaveTextContent('mock-secret-0123456789');
    const slack = screen.getByRole('article', { name: 'Channel #shop-alerts' });
    expect(slack).toHaveTextContent('https://hooks.slack.com/••••Xy12');
    expect(document.body).not.toHaveTextContent('T000/B000');

    await user.click(screen.getByRole('button', { name: 'New channel' }));
    const dialog = await screen.findByRole('dialog', { name: 'New channel' });
    await user.type(within(dialog).getByLabelText('Name'), 'Pager bridge');
    await user.type(within(dialog).getByLabelText('URL'), 'ftp://pager.example.com');
    await user.type(within(dialog).getByLabelText('Signing secret'), 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Add channel' }));
    expect(await within(dialog).findByText('URL must start with http:// or https://')).toBeInTheDocument();
    const url = within(dialog).getByLabelText('URL');
    await user.clear(url);
    await user.type(url, 'https://pager.invalid/hook');
    await user.click(within(dialog).getByRole('button', { name: 'Add channel' }));
    expect(await within(dialog).findByText('Secret must be at least 16 characters')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Signing secret'), '-and-long-enough-XyZ9');
    await user.click(within(dialog).getByRole('button', { name: 'Add channel' }));

    const card = await screen.findByRole('article', { name: 'Channel Pager bridge' });
    expect(card).toHaveTextContent('Signing secret set (••••••XyZ9)');
    expect(document.body).not.toHaveTextContent('short-and-long-enough');
    await user.click(within(card).getByRole('button', { name: 'Send a test notification' }));
    expect(await within(card).findByRole('status')).toHaveTextContent(
      'Test notification failed: Cannot connect to pager.invalid: connection refused in 12 ms.',
    );
    await user.click(within(ops).getByRole('button', { name: 'Send a test notification' }));
    expect(await within(ops).findByRole('status')).toHaveTextContent(/^Test notification sent \(answer 200\) in \d+ ms\.$/);
  });

  it('shows the delivery log with the reason of a failure', async () => {
    const { user } = renderApp(`${DEMO}?tab=channels`);
    const email = await screen.findByRole('article', { name: 'Channel On-call email' });
    await user.click(within(email).getByRole('button', { name: /Delivery log/ }));
    const log = await within(email).findByRole('table', { name: 'Delivery log of On-call email' });
    const failed = within(log).getByText(/SMTP auth failed \(535\)/).closest('tr')!;
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('attempt 3');
    expect(failed).toHaveTextContent('310 ms');
  });

  it('keeps the secret when an edit leaves it empty', async () => {
    const { user } = renderApp(`${DEMO}?tab=channels`);
    const ops = await screen.findByRole('article', { name: 'Channel Ops webhook' });
    await user.click(within(ops).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit channel “Ops webhook”' });
    expect(within(dialog).getByLabelText(/Signing secret/)).toHaveValue('');
    expect(within(dialog).getByText(/A secret is set \(••••••3f9a\)\. Leave empty to keep it\./)).toBeInTheDocument();
    const name = within(dialog).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Ops hook');
    await user.click(within(dialog).getByRole('button', { name: 'Save channel' }));
    const card = await screen.findByRole('article', { name: 'Channel Ops hook' });
    expect(card).toHaveTextContent('Signing secret set (••••••3f9a)');
  });

  it('has no test or edit buttons for viewers', async () => {
    renderApp(`${DEMO}?tab=channels`, { signedInAs: asViewer() });
    await screen.findByRole('article', { name: 'Channel Ops webhook' });
    expect(screen.queryByRole('button', { name: 'Send a test notification' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New channel' })).not.toBeInTheDocument();
  });
});

describe('alerts page: silences', () => {
  it('mutes a rule with a reason and ends it', async () => {
    const { user } = renderApp(`${DEMO}?tab=silences`);
    const form = await screen.findByRole('form', { name: 'New silence' });
    await user.click(within(form).getByRole('button', { name: 'Silence' }));
    expect(await within(form).findByText('Say why (e.g. "planned maintenance")')).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Mute'), 'Checkout is slow');
    await user.selectOptions(within(form).getByLabelText('For'), '4 hours');
    await user.type(within(form).getByLabelText('Reason'), 'Load test <b>tonight</b>');
    await user.click(within(form).getByRole('button', { name: 'Silence' }));
    const table = await screen.findByRole('table', { name: 'Silences' });
    const row = (await within(table).findByText('Load test <b>tonight</b>')).closest('tr')!;
    expect(row).toHaveTextContent('Checkout is slow');
    expect(row).toHaveTextContent('Active');
    await user.click(within(row).getByRole('button', { name: 'End now' }));
    await waitFor(() => expect(row).toHaveTextContent('Ended'));
  });
});
