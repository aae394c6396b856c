import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolAgent, ProtocolError } from '../demo/agent-client';
import { TrafficGenerator } from '../demo/generator';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { type IngestHarness, seedProject, startIngestHarness } from '../testing/telemetry-fixtures';

/** The ingest path against the real SQLite meta store (the other tests use the in-memory fake). */
describe('ingest with the SQLite meta store', () => {
  let h: IngestHarness;
  const agents: ProtocolAgent[] = [];
  const agent = (objectName: string, license = h.license) => {
    const a = new ProtocolAgent({ host: '127.0.0.1', port: h.port, license, hello: { objectName, hostname: 'web-9', pid: 77 } });
    agents.push(a);
    return a;
  };

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapscope-ingest-meta-'));
    h = await startIngestHarness({ dir, meta: openSqliteMetaStore(join(dir, 'meta.sqlite')) });
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) a.close();
    await h.close();
  });

  it('registers agents, keeps their identity across reconnects and tracks their connection', async () => {
    const a = agent('shop-0-12-gunicorn');
    const first = await a.connect();
    const gen = new TrafficGenerator({ seed: 61 });
    expect((await a.sendTransactions([gen.transaction(Date.now())])).stored).toBe(1);
    a.disconnect();
    const second = await a.connect();
    expect(second.agentId).toBe(first.agentId);
    const other = await agent('shop-0-13-gunicorn').connect();
    expect(other.agentId).not.toBe(first.agentId);

    const rows = await h.meta.listAgents(h.pcode);
    expect(rows.map((r) => [r.objectName, r.hostname, r.pid])).toEqual([
      ['shop-0-12-gunicorn', 'web-9', 77],
      ['shop-0-13-gunicorn', 'web-9', 77],
    ]);
    expect(rows.every((r) => r.connectedAt !== null)).toBe(true);
    const licenses = await h.meta.listLicenses(h.pcode);
    expect(licenses[0]!.lastUsedAt).not.toBeNull();

    a.close();
    await expect
      .poll(async () => (await h.meta.listAgents(h.pcode)).find((r) => r.id === first.agentId)?.connectedAt, { timeout: 3000 })
      .toBeNull();
  });

  it('refuses a revoked key and a deleted project', async () => {
    await h.meta.revokeLicense(h.pcode, h.licenseId, Date.now());
    const err = await agent('x-1').connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe('license_revoked');

    const other = await seedProject(h.meta, 'Other shop');
    await h.meta.deleteProject(other.pcode);
    const gone = await agent('x-2', other.license).connect().catch((e: unknown) => e);
    expect((gone as ProtocolError).code).toBe('project_deleted');
  });
});
