import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../../../mock-server/db';
import { renderApp } from '../../testing/render-app';

describe('administration', () => {
  it('is linked from the top bar for admins and lists users and the audit log as text', async () => {
    const { user, router } = renderApp('/projects');
    await user.click(await screen.findByRole('link', { name: 'Administration' }));
    expect(await screen.findByRole('heading', { name: 'Administration' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/admin');

    const users = await screen.findByRole('table', { name: 'Users' });
    const rows = within(users).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['admin', 'dana', 'lee']);
    expect(rows[0]).toHaveTextContent('admin');
    expect(within(rows[1]!).queryByText('admin')).not.toBeInTheDocument();

    const audit = await screen.findByRole('table', { name: 'Audit log' });
    expect(within(audit).getByText('user:lee').closest('tr')).toHaveTextContent('User created');
    // A username someone typed at sign-in is shown as the text it is, not as markup.
    const hostile = within(audit).getByText('user:<img src=x onerror=alert(1)>').closest('tr')!;
    expect(hostile).toHaveTextContent('Sign-in failed');
    expect(hostile).toHaveTextContent('203.0.113.9');
    expect(audit.querySelector('img')).toBeNull();
  });

  it('creates a user and says how to add them to a project', async () => {
    const { user } = renderApp('/admin');
    const form = await screen.findByRole('form', { name: 'Create user' });
    await user.type(within(form).getByLabelText('Username'), 'mia');
    await user.type(within(form).getByLabelText('Password'), 'a long password');
    await user.type(within(form).getByLabelText('Confirm password'), 'a long password');
    await user.click(within(form).getByRole('button', { name: 'Create user' }));

    expect(await screen.findByText(/Add them to a project from its Settings → Members\./)).toHaveTextContent(
      'User mia created. Add them to a project from its Settings → Members.',
    );
    expect(await within(screen.getByRole('table', { name: 'Users' })).findByText('mia')).toBeInTheDocument();
    expect(db.users.find((u) => u.username === 'mia')).toMatchObject({ admin: false, password: 'a long password' });
    expect(within(form).getByLabelText('Username')).toHaveValue('');
    expect(await within(screen.getByRole('table', { name: 'Audit log' })).findByText('user:mia')).toBeInTheDocument();
  });

  it('shows the form’s and the API’s errors next to their fields', async () => {
    const { user } = renderApp('/admin');
    const form = await screen.findByRole('form', { name: 'Create user' });
    await user.type(within(form).getByLabelText('Username'), 'dana');
    await user.type(within(form).getByLabelText('Password'), 'short');
    await user.type(within(form).getByLabelText('Confirm password'), 'shorter');
    await user.click(within(form).getByRole('button', { name: 'Create user' }));
    expect(within(form).getByText('Password must be at least 10 characters')).toBeInTheDocument();
    expect(within(form).getByText('Passwords do not match')).toBeInTheDocument();
    expect(within(form).getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(within(form).getByLabelText('Password'));
    await user.type(within(form).getByLabelText('Password'), 'a long password');
    await user.clear(within(form).getByLabelText('Confirm password'));
    await user.type(within(form).getByLabelText('Confirm password'), 'a long password');
    await user.click(within(form).getByRole('button', { name: 'Create user' }));
    // The name is taken: the API's message, next to the username.
    expect(await within(form).findByText('A user with this name already exists.')).toBeInTheDocument();
    expect(within(form).getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByText(/created\. Add them/)).not.toBeInTheDocument();
    expect(db.users.filter((u) => u.username === 'dana')).toHaveLength(1);
  });

  it('is neither linked nor shown to users who are not administrators', async () => {
    renderApp('/projects', { signedInAs: 'dana' });
    expect(await screen.findByRole('heading', { name: 'Projects' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Account: dana' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Administration' })).not.toBeInTheDocument();
  });

  it('tells a non-administrator who opens /admin that it is for administrators', async () => {
    renderApp('/admin', { signedInAs: 'dana' });
    expect(await screen.findByRole('heading', { name: 'Administrators only' })).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Users' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Administration' })).not.toBeInTheDocument();
  });

  it('disables a user after confirmation, shows it, and enables them again', async () => {
    const { user } = renderApp('/admin');
    const users = await screen.findByRole('table', { name: 'Users' });
    const lee = () => within(users).getByText('lee').closest('tr')!;
    expect(lee()).toHaveTextContent('Active');

    await user.click(within(lee()).getByRole('button', { name: 'Disable lee' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable lee?' });
    expect(dialog).toHaveTextContent('signed out everywhere at once');
    await user.click(within(dialog).getByRole('button', { name: 'Disable user' }));

    await vi.waitFor(() => expect(lee()).toHaveTextContent(/Disabled\s*since/));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(db.users.find((u) => u.username === 'lee')!.disabledAt).not.toBeNull();
    const audit = screen.getByRole('table', { name: 'Audit log' });
    expect((await within(audit).findByText('User disabled')).closest('tr')).toHaveTextContent('user:lee');

    await user.click(within(lee()).getByRole('button', { name: 'Enable lee' }));
    await vi.waitFor(() => expect(lee()).toHaveTextContent('Active'));
    expect(db.users.find((u) => u.username === 'lee')!.disabledAt).toBeNull();
  });

  it('offers no action on one’s own account', async () => {
    renderApp('/admin');
    const users = await screen.findByRole('table', { name: 'Users' });
    const me = within(users).getByText('admin', { selector: 'td' }).closest('tr')!;
    expect(me).toHaveTextContent('Your account');
    expect(within(me).queryByRole('button')).toBeNull();
  });

  it('deletes a user only after the username is typed, and shows why the API refuses one', async () => {
    // dana becomes the only owner of Billing API: deleting her would orphan it.
    db.members = db.members.map((m) => (m.pcode === 'billapi2' ? { ...m, userId: 2 } : m));
    const { user } = renderApp('/admin');
    const users = await screen.findByRole('table', { name: 'Users' });

    await user.click(within(users).getByRole('button', { name: 'Delete dana' }));
    let dialog = screen.getByRole('dialog', { name: 'Delete dana?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete user' });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText('Type “dana” to confirm'), 'dana');
    await user.click(confirm);
    expect(await within(dialog).findByText(/dana is the only owner of "Billing API"/)).toBeInTheDocument();
    expect(db.users.some((u) => u.username === 'dana')).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    await user.click(within(users).getByRole('button', { name: 'Delete lee' }));
    dialog = screen.getByRole('dialog', { name: 'Delete lee?' });
    await user.type(within(dialog).getByLabelText('Type “lee” to confirm'), 'lee');
    await user.click(within(dialog).getByRole('button', { name: 'Delete user' }));
    await vi.waitFor(() => expect(within(users).queryByText('lee')).toBeNull());
    expect(db.users.some((u) => u.username === 'lee')).toBe(false);
  });
});
