import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../../../../mock-server/db';
import { renderApp } from '../../../testing/render-app';

describe('project settings', () => {
  it('renames the project and changes its time zone', async () => {
    const { user } = renderApp('/projects/demoshop/settings');
    const name = await screen.findByLabelText('Project name');
    await user.clear(name);
    await user.type(name, 'Demo shop EU');
    await user.selectOptions(screen.getByLabelText('Time zone'), 'Europe/Paris');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Project settings saved.')).toBeInTheDocument();
    expect(db.projects.find((p) => p.pcode === 'demoshop')).toMatchObject({ name: 'Demo shop EU', timezone: 'Europe/Paris' });
    // The shell shows the new name too.
    expect(within(screen.getByRole('navigation', { name: 'Project' })).getByText('Demo shop EU')).toBeInTheDocument();
  });

  it('shows the API’s error next to the name', async () => {
    const { user } = renderApp('/projects/demoshop/settings');
    const name = await screen.findByLabelText('Project name');
    await user.clear(name);
    await user.type(name, 'Billing API');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('A project with this name already exists.')).toBeInTheDocument();
  });

  it('adds an existing user as a member and explains an unknown one', async () => {
    const { user } = renderApp('/projects/demoshop/settings');
    const members = await screen.findByRole('table', { name: 'Members' });
    expect(within(members).getByText('dana')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Username'), 'nobody');
    await user.click(screen.getByRole('button', { name: 'Add member' }));
    expect(await screen.findByText('There is no user named “nobody”.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Username'));
    await user.type(screen.getByLabelText('Username'), 'lee');
    await user.selectOptions(screen.getByLabelText('Role'), 'viewer');
    await user.click(screen.getByRole('button', { name: 'Add member' }));
    expect(await within(members).findByRole('combobox', { name: 'Role of lee' })).toHaveValue('viewer');
  });

  it('removes a member after confirmation', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { user } = renderApp('/projects/demoshop/settings');
    const members = await screen.findByRole('table', { name: 'Members' });
    const notOwner = db.members.find((m) => m.pcode === 'demoshop' && m.role !== 'owner')!;
    const name = db.users.find((u) => u.id === notOwner.userId)!.username;
    await user.click(within(members).getByRole('button', { name: `Remove ${name}` }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining(`Remove ${name} from`));
    await vi.waitFor(() => expect(within(members).queryByText(name)).toBeNull());
    expect(db.members.some((m) => m.pcode === 'demoshop' && m.userId === notOwner.userId)).toBe(false);
    confirm.mockRestore();
  });

  it('lets an owner change a member’s role, but not leave the project without an owner', async () => {
    const { user } = renderApp('/projects/demoshop/settings');
    const members = await screen.findByRole('table', { name: 'Members' });
    await user.selectOptions(within(members).getByRole('combobox', { name: 'Role of dana' }), 'viewer');
    await vi.waitFor(() => expect(db.members.find((m) => m.pcode === 'demoshop' && m.userId === 2)?.role).toBe('viewer'));
    expect(within(members).getByRole('combobox', { name: 'Role of dana' })).toHaveValue('viewer');

    // The only owner stepping down: the API refuses, the list shows the role unchanged.
    await user.selectOptions(within(members).getByRole('combobox', { name: 'Role of admin' }), 'member');
    expect(await screen.findByText('A project needs at least one owner. Make someone else an owner first.')).toBeInTheDocument();
    expect(within(members).getByRole('combobox', { name: 'Role of admin' })).toHaveValue('owner');
  });

  it('shows roles as text, without controls, to members who are not owners', async () => {
    renderApp('/projects/demoshop/settings', { signedInAs: 'dana' });
    const members = await screen.findByRole('table', { name: 'Members' });
    expect(within(members).getByText('owner')).toBeInTheDocument();
    expect(within(members).queryByRole('combobox')).toBeNull();
    expect(within(members).queryByRole('button', { name: /^Remove/ })).toBeNull();
  });

  it('deletes the project only after its name is typed', async () => {
    const { user, router } = renderApp('/projects/demoshop/settings');
    await user.click(await screen.findByRole('button', { name: 'Delete project' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Demo shop?' });
    expect(dialog).toHaveTextContent(/permanently removes all data/);
    const confirm = within(dialog).getByRole('button', { name: 'Delete project' });
    expect(confirm).toBeDisabled();

    await user.type(within(dialog).getByLabelText('Type “Demo shop” to confirm'), 'Demo sho');
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText('Type “Demo shop” to confirm'), 'p');
    await user.click(confirm);

    expect(await screen.findByRole('heading', { name: 'Projects' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/projects');
    expect(screen.queryByRole('link', { name: 'Demo shop' })).not.toBeInTheDocument();
    expect(db.projects.some((p) => p.pcode === 'demoshop')).toBe(false);
    expect(db.licenses.some((l) => l.pcode === 'demoshop')).toBe(false);
  });

  it('is read-only for members who are not owners', async () => {
    renderApp('/projects/demoshop/settings', { signedInAs: 'dana' });
    expect(await screen.findByText('Only project owners can change these settings.')).toBeInTheDocument();
    expect(screen.getByLabelText('Project name')).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save changes' })).not.toBeInTheDocument();
    expect(screen.getByText('Only project owners can add members.')).toBeInTheDocument();
  });
});
