import { afterAll, describe, expect, it } from 'vitest';
import { clickhouseTelemetryEngine, sqliteTelemetryEngine } from '../store/conformance/engines';
import type { TelemetryEngine } from '../store/conformance/fixtures';
import { T0 } from '../store/conformance/fixtures';
import { clickhouseAvailable } from '../testing/clickhouse-server';
import { clickhouseForSuite } from '../testing/clickhouse-suite';
import { makeTransaction } from '../testing/telemetry-records';
import { percentile } from '../store/rollup-histogram';

/** The telemetry query alert rules read percentiles from, the same on every engine. */
function describeLatencyByAgent(engine: () => TelemetryEngine) {
  it('merges the transaction roll-ups of a range per agent, histograms included', async () => {
    const store = await (await engine().create()).open();
    try {
      const txs = [
        ...Array.from({ length: 20 }, (_, i) => makeTransaction({ txid: `a${i}`, agentId: 1, end: T0 + i * 1000, elapsed: i < 19 ? 100 : 3000, errorClass: i === 0 ? 'ValueError' : null })),
        ...Array.from({ length: 10 }, (_, i) => makeTransaction({ txid: `b${i}`, agentId: 2, end: T0 + 60_000 + i * 1000, elapsed: 40 })),
        makeTransaction({ txid: 'old', agentId: 1, end: T0 - 3_600_000, elapsed: 9000 }),
        makeTransaction({ txid: 'other', pcode: 'bbbbbbbb', agentId: 1, end: T0, elapsed: 9000 }),
      ];
      await store.writeTransactions(txs);
      const rows = (await store.latencyByAgent!('aaaaaaaa', T0, T0 + 120_000)).sort((x, y) => x.agentId - y.agentId);
      expect(rows.map((r) => ({ agentId: r.agentId, count: r.count, errors: r.errors, sum: r.sum, min: r.min, max: r.max }))).toEqual([
        { agentId: 1, count: 20, errors: 1, sum: 19 * 100 + 3000, min: 100, max: 3000 },
        { agentId: 2, count: 10, errors: 0, sum: 400, min: 40, max: 40 },
      ]);
      expect(rows[0]!.hist.reduce((n, c) => n + c, 0)).toBe(20);
      expect(percentile(rows[0]!.hist, 0.5, rows[0]!.min, rows[0]!.max)).toBeLessThan(120);
      expect(percentile(rows[0]!.hist, 0.99, rows[0]!.min, rows[0]!.max)).toBeGreaterThan(2500);
    } finally {
      await store.close();
    }
  });
}

describe('latencyByAgent on SQLite', () => {
  const sqlite = sqliteTelemetryEngine();
  afterAll(() => sqlite.cleanup());
  describeLatencyByAgent(() => sqlite.engine);
});

// Enabled when Debian's ClickHouse is installed.
describe.runIf(clickhouseAvailable())('latencyByAgent on ClickHouse', () => {
  const server = clickhouseForSuite();
  describeLatencyByAgent(() => clickhouseTelemetryEngine(server));
});
