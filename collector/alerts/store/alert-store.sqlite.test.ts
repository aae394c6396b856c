import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeAlertStoreConformance } from './alert-store-suite';
import { openSqliteAlertStore } from './sqlite-alert-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describeAlertStoreConformance({
  name: 'SQLite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'tapscope-alerts-'));
    dirs.push(dir);
    const file = join(dir, 'alerts.sqlite');
    return { open: async () => openSqliteAlertStore(file) };
  },
});
