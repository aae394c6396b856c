import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { telemetryMigrations } from './telemetry-schema';
import { openSqliteTelemetryStore } from './telemetry-store';

const P = 'aaaaaaaa';
const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);

describe('SQLite telemetry migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapscope-telemetry-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives transactions stored before error labels were stored their label, on an existing data dir', async () => {
    const file = join(dir, 'telemetry.sqlite');
    // A data dir written before version 3: the label of a failed status was computed on read.
    const old = openDatabase(file, { synchronous: 'NORMAL', migrations: telemetryMigrations.filter((m) => m.version < 3) });
    const insert = old.prepare(`
      INSERT INTO tx (pcode, txid, agent_id, object_name, start_ms, end_ms, elapsed, err, url, method, status, error_class,
        error_message, error_stack, client_ip, user_agent, cpu, sql_count, sql_time, httpc_count, httpc_time, params, steps)
      VALUES (?, ?, 1, 'o', ?, ?, 5, ?, '/u', 'GET', ?, ?, NULL, NULL, '', '', 0, 0, 0, 0, 0, NULL, '[]')`);
    insert.run(P, 'old-status-502', T0, T0 + 5, 1, 502, null);
    insert.run(P, 'old-exception1', T0 + 1, T0 + 6, 1, 500, 'KeyError');
    insert.run(P, 'old-fine-00001', T0 + 2, T0 + 7, 0, 404, null);
    old.close();

    const store = openSqliteTelemetryStore(file);
    try {
      const all = await store.listTransactions(P, { from: T0, to: T0 + 1000, limit: 10, sort: 'end' });
      expect(all.transactions.map((t) => [t.txid, t.error])).toEqual([
        ['old-fine-00001', null],
        ['old-exception1', 'KeyError'],
        ['old-status-502', 'HTTP 502'],
      ]);
    } finally {
      await store.close();
    }
  });
});
