import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolAgent } from '../demo/agent-client';
import { TrafficGenerator } from '../demo/generator';
import { openSqliteTelemetryStore } from '../store/sqlite/telemetry-store';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('../testing/telemetry-ingest-child.ts', import.meta.url));

describe('ingest crash durability', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged transaction when the collector is killed with SIGKILL', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tapscope-crash-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
    const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
    const { value } = await lines.next();
    const { port, license, pcode } = JSON.parse(String(value)) as { port: number; license: string; pcode: string };

    const agent = new ProtocolAgent({ host: '127.0.0.1', port, license, hello: { objectName: 'crash-agent' } });
    await agent.connect();
    const gen = new TrafficGenerator({ seed: 31 });
    const acked: string[] = [];
    let sent = 0;
    // Keep 8 batches in flight; kill once some are acknowledged and others are not.
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (agent.inflight < 8) {
          const txs = Array.from({ length: 100 }, () => gen.transaction(Date.now()));
          sent += txs.length;
          agent.sendTransactions(txs).then(
            () => {
              acked.push(...txs.map((t) => t.txid));
              if (acked.length >= 3000) resolve();
              else pump();
            },
            () => {},
          );
        }
      };
      pump();
    });
    // The acks of a group commit may all arrive in one read: send one more batch right before
    // the kill, so that one at least is in flight (the store waits milliseconds before a commit).
    const last = Array.from({ length: 100 }, () => gen.transaction(Date.now()));
    sent += last.length;
    agent.sendTransactions(last).then(
      () => acked.push(...last.map((t) => t.txid)),
      () => {},
    );
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    agent.close();
    expect(sent).toBeGreaterThan(acked.length); // some batches were still in flight

    const store = openSqliteTelemetryStore(join(dir, 'telemetry.sqlite'));
    try {
      const stored = await store.listTransactions(pcode, { from: 0, to: Date.now() + 60_000, limit: 5000, sort: 'end' });
      expect(stored.transactions).toHaveLength(stored.total);
      const ids = new Set(stored.transactions.map((t) => t.txid));
      const missing = acked.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      // Profiles of acknowledged transactions are readable too (the txid map rebuilds itself).
      expect((await store.getProfile(pcode, acked[0]!))?.transaction.txid).toBe(acked[0]);
      expect((await store.getProfile(pcode, acked.at(-1)!))?.transaction.txid).toBe(acked.at(-1));
    } finally {
      await store.close();
    }
  });
});
