import { describe, expect, it } from 'vitest';
import { clickhouseAvailable } from '../../testing/clickhouse-server';
import { clickhouseForSuite } from '../../testing/clickhouse-suite';
import { ClickHouse, parseClickHouseUrl } from './ch-client';
import { chMigrations, migrateClickHouse } from './ch-schema';
import { openClickHouseTelemetryStore } from './telemetry-store';

const P = 'aaaaaaaa';
const T0 = Date.UTC(2025, 10, 25, 8, 0, 0);

// Enabled when Debian's clickhouse-server is installed (scripts/install-system-deps.sh installs it for `npm test`).
describe.runIf(clickhouseAvailable())('ClickHouse telemetry migrations', () => {
  const server = clickhouseForSuite();

  it('gives transactions stored before error labels were stored their label, on an existing database', async () => {
    const url = server().url('migrate_labels');
    const ch = new ClickHouse(parseClickHouseUrl(url));
    try {
      // A database written before version 2: the label of a failed status was computed on read.
      await migrateClickHouse(ch, chMigrations.filter((m) => m.version < 2));
      const row = (txid: string, end: number, err: number, status: number, errorClass: string | null) => ({
        day: '2025-11-25', pcode: P, txid, agent_id: 1, object_name: 'o', start_ms: end - 5, end_ms: end, elapsed: 5, err,
        url: '/u', method: 'GET', status, error_class: errorClass, error_message: null, error_stack: null, client_ip: '',
        user_agent: '', cpu: 0, sql_count: 0, sql_time: 0, httpc_count: 0, httpc_time: 0, params: null, steps: '[]', stamp: 1,
      });
      await ch.insert('tx', [
        row('old-status-502', T0 + 5, 1, 502, null),
        row('old-exception1', T0 + 6, 1, 500, 'KeyError'),
        row('old-fine-00001', T0 + 7, 0, 404, null),
      ]);
    } finally {
      await ch.close();
    }
    const store = await openClickHouseTelemetryStore(url);
    try {
      // The mutation runs in the background: wait for it (generously, on a loaded machine).
      let labels: Array<[string, string | null]> = [];
      for (let i = 0; i < 600; i++) {
        const all = await store.listTransactions(P, { from: T0, to: T0 + 1000, limit: 10, sort: 'end' });
        labels = all.transactions.map((t) => [t.txid, t.error]);
        if (labels.some(([txid, error]) => txid === 'old-status-502' && error !== null)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(labels).toEqual([
        ['old-fine-00001', null],
        ['old-exception1', 'KeyError'],
        ['old-status-502', 'HTTP 502'],
      ]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('adds the trace context columns to a database another collector is migrating at the same time', async () => {
    const url = server().url('migrate_trace');
    const ch = new ClickHouse(parseClickHouseUrl(url));
    try {
      await migrateClickHouse(ch, chMigrations.filter((m) => m.version < 3));
      await ch.insert('tx', [{
        day: '2025-11-25', pcode: P, txid: 'before-trace', agent_id: 1, object_name: 'o', start_ms: T0, end_ms: T0 + 5, elapsed: 5,
        err: 0, url: '/u', method: 'GET', status: 200, error_class: null, error_message: null, error_stack: null, client_ip: '',
        user_agent: '', cpu: 0, sql_count: 0, sql_time: 0, httpc_count: 0, httpc_time: 0, params: null, steps: '[]', stamp: 1,
      }]);
      // The other collector got as far as the first column before this one starts migration 3.
      await ch.exec(chMigrations.find((m) => m.version === 3)!.statements[0]!);
      await migrateClickHouse(ch);
      const [row] = await ch.rows<{ trace_id: string; span_id: string }>("SELECT trace_id, span_id FROM tx WHERE txid = 'before-trace'");
      expect(row).toEqual({ trace_id: '', span_id: '' });
    } finally {
      await ch.close();
    }
  }, 120_000);
});
