import { describe, expect, it } from 'vitest';
import { clickhouseAvailable } from '../../testing/clickhouse-server';
import { clickhouseForSuite } from '../../testing/clickhouse-suite';
import { BufferFullError } from '../clickhouse/ch-writer';
import { openClickHouseTelemetryStore } from '../clickhouse/telemetry-store';
import { describeCounterStepConformance } from './counter-step-suite';
import { clickhouseTelemetryEngine } from './engines';
import { makeTransaction } from '../../testing/telemetry-records';
import { P, T0 } from './fixtures';
import { describeTelemetryConformance } from './telemetry-suite';
import { describeTraceConformance } from './trace-suite';

// Enabled when Debian's clickhouse-server is installed (scripts/install-system-deps.sh installs it for `npm test`).
describe.runIf(clickhouseAvailable())('ClickHouse telemetry store', () => {
  const server = clickhouseForSuite();

  describeTelemetryConformance(clickhouseTelemetryEngine(server));
  describeCounterStepConformance(clickhouseTelemetryEngine(server));
  describeTraceConformance(clickhouseTelemetryEngine(server));

  const txs = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => makeTransaction({ txid: `${prefix}-${String(i).padStart(6, '0')}`, end: T0 + i }));
  const activeParts = async (db: string, table: string) =>
    Number((await server().query(`SELECT count() FROM system.parts WHERE database = '${db}' AND table = '${table}' AND active`)).trim());

  it('gathers concurrent writes into one insert and resolves each only after it', async () => {
    const store = await openClickHouseTelemetryStore(server().authUrl('batching'), { flushMs: 400, settleMs: 0 });
    try {
      const started = Date.now();
      const writes = Array.from({ length: 5 }, (_, i) => store.writeTransactions(txs(`w${i}`, 20)));
      expect(store.backlog!()).toBe(100);
      expect(await Promise.all(writes)).toEqual([20, 20, 20, 20, 20]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      expect(store.backlog!()).toBe(0);
      expect(await activeParts('batching', 'tx')).toBe(1);
      expect((await store.listTransactions(P, { from: 0, to: T0 + 1000, limit: 1, sort: 'end' })).total).toBe(100);
    } finally {
      await store.close();
    }
  });

  it('inserts at once when flushRows rows wait, and refuses writes beyond the buffer bound', async () => {
    const store = await openClickHouseTelemetryStore(server().authUrl('bounds'), { flushMs: 60_000, flushRows: 50, maxBufferRows: 80 });
    try {
      expect(await store.writeTransactions(txs('full', 50))).toBe(50); // would wait a minute without flushRows
      const waiting = store.writeTransactions(txs('wait', 40));
      await expect(store.writeTransactions(txs('more', 41))).rejects.toBeInstanceOf(BufferFullError);
      expect(store.backlog!()).toBe(40);
      await store.close(); // close inserts what waits
      expect(await waiting).toBe(40);
    } finally {
      await store.close();
    }
  });

  it('refuses to open without a reachable server or with a wrong password, never echoing it', async () => {
    const refused = await openClickHouseTelemetryStore('clickhouse://u:pw-one@127.0.0.1:1/x').catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused)).not.toContain('pw-one');
    const wrong = await openClickHouseTelemetryStore(server().authUrl('x').replace(/:[^:@/]+@/, ':wrong-pw@')).catch((e: unknown) => e as Error);
    expect(wrong).toBeInstanceOf(Error);
    expect(String(wrong)).not.toContain('wrong-pw');
  });
});
