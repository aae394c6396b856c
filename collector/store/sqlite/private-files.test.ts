import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { openStores } from '../../stores';

describe('data directory modes', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const mode = (p: string) => statSync(p).mode & 0o777;

  it('creates the data directory 0700 and the SQLite files (with -wal and -shm) 0600', async () => {
    root = mkdtempSync(join(tmpdir(), 'tapscope-modes-'));
    const dataDir = join(root, 'data');
    const old = process.umask(0o022); // a typical umask would otherwise give 0755 / 0644
    try {
      const stores = openStores(loadConfig({ TAPSCOPE_DATA_DIR: dataDir }));
      await stores.meta.countUsers();
      await stores.close();
    } finally {
      process.umask(old);
    }
    expect(mode(dataDir)).toBe(0o700);
    const files = readdirSync(dataDir).filter((f) => f.includes('.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['meta.sqlite', 'telemetry.sqlite']));
    for (const f of files) expect([f, mode(join(dataDir, f))]).toEqual([f, 0o600]);
  });

  it('tightens an existing loose data directory and database file', async () => {
    root = mkdtempSync(join(tmpdir(), 'tapscope-modes-'));
    const dataDir = join(root, 'data');
    const first = openStores(loadConfig({ TAPSCOPE_DATA_DIR: dataDir }));
    await first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'meta.sqlite'), 0o644);
    const stores = openStores(loadConfig({ TAPSCOPE_DATA_DIR: dataDir }), {}, { error: () => {} });
    await stores.close();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'meta.sqlite'))).toBe(0o600);
  });
});
