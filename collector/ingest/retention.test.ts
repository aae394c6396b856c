import { afterEach, describe, expect, it } from 'vitest';
import { makeTransaction } from '../testing/telemetry-records';
import { type IngestHarness, silentLog, startIngestHarness } from '../testing/telemetry-fixtures';
import { startRetentionJob } from './retention';

describe('retention job', () => {
  let h: IngestHarness | undefined;
  afterEach(async () => h?.close());

  it('deletes agents neither connected nor seen within the expiry', async () => {
    h = await startIngestHarness();
    const meta = h.meta;
    const day = 86_400_000;
    const gone = await meta.upsertAgent(h.pcode, { objectName: 'gone', appName: '', processName: '', hostname: '', ip: '', pid: 0, agentVersion: '', pythonVersion: '' }, Date.now() - 8 * day);
    const kept = await meta.upsertAgent(h.pcode, { objectName: 'kept', appName: '', processName: '', hostname: '', ip: '', pid: 0, agentVersion: '', pythonVersion: '' }, Date.now());
    const job = startRetentionJob(h.telemetry, { rawDays: 7, rollupDays: 30 }, silentLog, {
      firstRunMs: 10,
      intervalMs: 60_000,
      agents: { meta, expiryMs: 7 * day },
    });
    try {
      await expect.poll(async () => (await meta.listAgents(h!.pcode)).map((a) => a.id), { timeout: 3000 }).toEqual([kept.id]);
      expect(gone.id).not.toBe(kept.id);
    } finally {
      job.stop();
    }
  });

  it('deletes raw transactions past rawDays on its schedule, keeping the recent ones', async () => {
    h = await startIngestHarness();
    const now = Date.now();
    const day = 86_400_000;
    await h.telemetry.writeTransactions([
      makeTransaction({ pcode: h.pcode, txid: 'old-000001', end: now - 3 * day }),
      makeTransaction({ pcode: h.pcode, txid: 'new-000001', end: now - 1000 }),
    ]);
    const job = startRetentionJob(h.telemetry, { rawDays: 2, rollupDays: 30 }, silentLog, { firstRunMs: 10, intervalMs: 60_000 });
    try {
      await expect
        .poll(async () => (await h!.telemetry.listTransactions(h!.pcode, { from: 0, to: now, limit: 10, sort: 'end' })).transactions.map((t) => t.txid), { timeout: 3000 })
        .toEqual(['new-000001']);
      // Roll-ups are kept longer than raw rows.
      const stats = await h.telemetry.stats(h.pcode, 'transactions', now - 4 * day, now);
      expect(stats[0]!.count).toBe(2);
    } finally {
      job.stop();
    }
  });
});
