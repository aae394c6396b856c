import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { db } from '../../../mock-server/db';
import { renderApp } from '../../testing/render-app';

const KEY_RE = /^tsl_demoshop_[A-Z2-7]{40}$/;

describe('install & keys page', () => {
  // Until mock-server/handlers/index.ts lists them, the agent package handlers are added here.

  it('installs from the collector URL with the version shown, into the venv of the agent path', async () => {
    const { user } = renderApp('/projects/demoshop/install');
    expect(await screen.findByTestId('agent-version')).toHaveTextContent('0.1.0');
    const install = screen.getByRole('figure', { name: 'install command' });
    expect(install).toHaveTextContent(
      `/opt/whatap-venv/bin/pip install --no-build-isolation --no-index ${window.location.origin}/agent/whatap-python-0.1.0.tar.gz`,
    );
    expect(screen.getByText(/invalid command 'bdist_wheel'/)).toBeInTheDocument();

    const path = screen.getByLabelText('Path of whatap-start-agent');
    await user.clear(path);
    await user.type(path, '/srv/shop/venv/bin/whatap-start-agent');
    expect(screen.getByRole('figure', { name: 'install command' })).toHaveTextContent('python3 -m venv --system-site-packages /srv/shop/venv');
    expect(screen.getByRole('figure', { name: 'install command' })).toHaveTextContent('/srv/shop/venv/bin/pip install');
  });

  it('turns parameter collection on before the app starts and says where the security key is', async () => {
    renderApp('/projects/demoshop/install');
    const params = await screen.findByRole('figure', { name: 'parameter collection command' });
    expect(params).toHaveTextContent('profile_http_parameter_enabled=true');
    expect(params).toHaveTextContent('profile_sql_param_enabled=true');
    expect(screen.getByText('$WHATAP_HOME/paramkey.txt')).toBeInTheDocument();
    const titles = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(titles.indexOf('Turn on parameter collection (optional)')).toBeLessThan(titles.indexOf('Start your app with the agent'));
    expect(titles.indexOf('Turn on parameter collection (optional)')).toBeGreaterThan(titles.indexOf('Write whatap.conf'));
  });

  it('shows the placeholder in the guide before a key is issued', async () => {
    renderApp('/projects/demoshop/install');
    const config = await screen.findByRole('figure', { name: 'whatap-setting-config command' });
    expect(config).toHaveTextContent('--license <your license key>');
    expect(config).toHaveTextContent('--host 127.0.0.1');
    expect(config).not.toHaveTextContent('whatap.server.port');
    // Ingest TLS is off by default: the guide says how to turn it on.
    expect(screen.getByText(/whatap\.server\.tls=true/)).toBeInTheDocument();
  });

  it('issues a key, shows it once, fills the guide with it and copies it', async () => {
    const { user } = renderApp('/projects/demoshop/install');
    await user.type(await screen.findByLabelText(/Label/), 'canary');
    await user.click(screen.getByRole('button', { name: 'Issue license key' }));

    const box = await screen.findByRole('region', { name: 'New license key' });
    const key = within(box).getByTestId('issued-key').textContent ?? '';
    expect(key).toMatch(KEY_RE);
    expect(box).toHaveTextContent('It will not be shown again');

    expect(screen.getByRole('figure', { name: 'whatap-setting-config command' })).toHaveTextContent(`--license ${key}`);

    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await user.click(within(box).getByRole('button', { name: 'Copy key' }));
    expect(writeText).toHaveBeenCalledWith(key);
    expect(await within(box).findByText('Copied')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(key);

    // The table lists the new key by its prefix only.
    const table = screen.getByRole('table', { name: 'License keys' });
    const row = within(table).getByText('canary').closest('tr')!;
    expect(row).toHaveTextContent(key.slice(0, 21));
    expect(row).not.toHaveTextContent(key);
    expect(row).toHaveTextContent('never');

    // "Done" hides the key for good.
    await user.click(within(box).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText(key)).not.toBeInTheDocument();
    expect(screen.getByRole('figure', { name: 'whatap-setting-config command' })).toHaveTextContent('<your license key>');
  });

  it('gives each start form its own copy button', async () => {
    const { user } = renderApp('/projects/demoshop/install');
    await user.click(await screen.findByRole('tab', { name: 'Supervisor' }));
    const block = screen.getByRole('figure', { name: 'Supervisor start command' });
    expect(block).toHaveTextContent('environment=WHATAP_HOME="/opt/whatap"');
    expect(block).toHaveTextContent('command=/opt/whatap-venv/bin/whatap-start-agent gunicorn');

    await user.clear(screen.getByLabelText('WHATAP_HOME'));
    await user.type(screen.getByLabelText('WHATAP_HOME'), '/srv/shop/whatap');
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await user.click(within(screen.getByRole('figure', { name: 'Supervisor start command' })).getByRole('button', { name: /Copy/ }));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('environment=WHATAP_HOME="/srv/shop/whatap"'));
  });

  it('revokes a key after confirmation', async () => {
    const { user } = renderApp('/projects/demoshop/install');
    const table = await screen.findByRole('table', { name: 'License keys' });
    const row = within(table).getByText('staging').closest('tr')!;
    await user.click(within(row).getByRole('button', { name: /Revoke key/ }));

    const dialog = screen.getByRole('dialog', { name: 'Revoke license key?' });
    expect(dialog).toHaveTextContent('tsl_demoshop_P4WN6DJA');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(db.licenses.find((l) => l.label === 'staging')!.revokedAt).toBeNull();

    await user.click(within(row).getByRole('button', { name: /Revoke key/ }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke key' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const revokedRow = (await within(table).findByText('Revoked')).closest('tr')!;
    expect(revokedRow).toHaveTextContent('staging');
    expect(within(revokedRow).queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    expect(db.licenses.find((l) => l.label === 'staging')!.revokedAt).not.toBeNull();
  });

  it('does not offer key actions to viewers', async () => {
    db.members.push({ pcode: 'demoshop', userId: 3, role: 'viewer' });
    renderApp('/projects/demoshop/install', { signedInAs: 'lee' });
    expect(await screen.findByText(/Viewers cannot issue license keys/)).toBeInTheDocument();
    await screen.findByRole('table', { name: 'License keys' });
    expect(screen.queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
  });
});
