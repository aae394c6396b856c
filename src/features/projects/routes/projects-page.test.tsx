import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mock-server/db';
import { renderApp } from '../../../testing/render-app';

describe('projects page', () => {
  it('lists the projects with region, group and role', async () => {
    renderApp('/projects');
    const row = (await screen.findByRole('link', { name: 'Demo shop' })).closest('tr')!;
    expect(within(row).getByText('Local')).toBeInTheDocument();
    expect(within(row).getByText('owner')).toBeInTheDocument();
    // Listed under their group's heading row.
    const groupRow = row.previousElementSibling!;
    expect(groupRow).toHaveTextContent('Commerce · 1 project');
    expect(screen.getByText(/Payments · 1 project/)).toBeInTheDocument();
  });

  it('shows what to do when there is no project yet', async () => {
    db.members = db.members.filter((m) => m.userId !== 1);
    renderApp('/projects');
    expect(await screen.findByRole('heading', { name: 'Create your first project' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create project' })).toBeInTheDocument();
  });

  it('shows validation errors next to their fields, then creates the project and opens its install page', async () => {
    const { user, router } = renderApp('/projects');
    await user.click(await screen.findByRole('button', { name: 'New project' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create project' });

    // Client-side check: a name is required.
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));
    expect(within(dialog).getByLabelText('Project name')).toHaveAccessibleDescription('Enter a project name');

    // Regions come from the API, each with its ingest address.
    const region = within(dialog).getByLabelText('Data region');
    await within(dialog).findByRole('option', { name: 'Asia Pacific (Seoul) — ingest.ap-northeast.example:6600' });
    expect(within(dialog).getByLabelText('Time zone')).toHaveValue(Intl.DateTimeFormat().resolvedOptions().timeZone);

    // Server-side check: the name is taken; the API names the field.
    await user.type(within(dialog).getByLabelText('Project name'), 'Demo shop');
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));
    expect(await within(dialog).findByText('A project with this name already exists.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Project name')).toHaveAccessibleDescription(/already exists/);

    await user.clear(within(dialog).getByLabelText('Project name'));
    await user.type(within(dialog).getByLabelText('Project name'), 'Checkout API');
    await user.selectOptions(region, 'ap-northeast');
    await user.type(within(dialog).getByLabelText(/Group/), 'Commerce');
    await user.selectOptions(within(dialog).getByLabelText('Time zone'), 'Europe/Berlin');
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));

    expect(await screen.findByRole('heading', { name: 'Install & keys' })).toBeInTheDocument();
    const created = db.projects.find((p) => p.name === 'Checkout API')!;
    expect(created).toMatchObject({ region: 'ap-northeast', group: 'Commerce', timezone: 'Europe/Berlin' });
    expect(router.state.location.pathname).toBe(`/projects/${created.pcode}/install`);
    expect(await screen.findByRole('figure', { name: 'whatap-setting-config command' })).toHaveTextContent(
      '--host ingest.ap-northeast.example',
    );
  });
});
