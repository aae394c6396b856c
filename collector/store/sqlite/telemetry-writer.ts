import type Database from 'better-sqlite3';
import { type PreparedTransaction, RollupAccumulator } from '../rollup-accumulator';
import { histogramToBlob } from '../rollup-histogram';
import type { CounterRecord } from '../telemetry-store';
import type { RollupCompactor } from './telemetry-compactor';
import { CounterWriter } from './telemetry-counter-writer';
import { STAT_UPSERT_SET } from './telemetry-levels';

interface PendingWrite {
  txs: readonly PreparedTransaction[];
  counters: readonly CounterRecord[];
  rows: number;
  resolve(stored: number): void;
  reject(err: Error): void;
}

export interface WriterOptions {
  /** How long the first write of a group waits for company before the commit, ms. */
  flushDelayMs?: number;
  /** Commit as soon as this many rows wait; also the most rows per SQLite transaction. */
  flushRows?: number;
}

/**
 * Group commit: writes from every agent connection are queued and committed together in
 * one SQLite transaction every few milliseconds, with the roll-ups of the new rows in the
 * same transaction — so a resend, which inserts nothing (INSERT OR IGNORE on (pcode, txid)),
 * adds nothing to the statistics either, and a crash never leaves one without the other.
 * Each write's promise resolves after its transaction committed (WAL: durable against a
 * process crash). Writes to minutes the compactor already folded are added to the coarse
 * roll-ups in the same transaction.
 */
export class TelemetryWriter {
  private queue: PendingWrite[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly flushDelayMs: number;
  private readonly flushRows: number;
  private readonly insertTx: Database.Statement;
  private readonly upsertRollup: Database.Statement;
  private readonly insertProject: Database.Statement;
  private readonly counters: CounterWriter;
  private readonly rollups = new RollupAccumulator();
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    opts: WriterOptions,
    private readonly compactor: RollupCompactor,
  ) {
    this.flushDelayMs = opts.flushDelayMs ?? 4;
    this.flushRows = opts.flushRows ?? 2000;
    this.insertTx = db.prepare(`
      INSERT OR IGNORE INTO tx (pcode, txid, agent_id, object_name, start_ms, end_ms, elapsed, err, url, method,
        status, error_class, error_message, error_stack, client_ip, user_agent, cpu, sql_count, sql_time,
        httpc_count, httpc_time, params, steps, trace_id, span_id, parent_span_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.upsertRollup = db.prepare(`
      INSERT INTO rollup_1m (pcode, kind, minute, agent_id, key, count, errors, sum, min, max, sql_time, httpc_time,
        hist, message, url, last_seen, example_txid)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (pcode, kind, minute, agent_id, key) DO UPDATE SET ${STAT_UPSERT_SET}`);
    this.insertProject = db.prepare('INSERT OR IGNORE INTO tx_project (pcode) VALUES (?)');
    this.counters = new CounterWriter(db, compactor);
  }

  /** Rows accepted but not yet committed (the ingest answers BUSY above a limit). */
  get backlog(): number {
    return this.queuedRows;
  }

  write(txs: readonly PreparedTransaction[], counters: readonly CounterRecord[]): Promise<number> {
    if (this.closed) return Promise.reject(new Error('telemetry store is closed'));
    if (txs.length === 0 && counters.length === 0) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      const rows = txs.length + counters.length;
      this.queue.push({ txs, counters, rows, resolve, reject });
      this.queuedRows += rows;
      this.schedule();
    });
  }

  /** Commits everything queued now (used on close). */
  drain(): void {
    this.cancelTimers();
    while (this.queue.length > 0) this.flush();
  }

  close(): void {
    this.drain();
    this.closed = true;
  }

  private schedule(): void {
    if (this.queuedRows >= this.flushRows) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.immediate ??= setImmediate(() => this.runFlush());
    } else if (!this.timer && !this.immediate) {
      this.timer = setTimeout(() => this.runFlush(), this.flushDelayMs);
    }
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private runFlush(): void {
    this.cancelTimers();
    this.flush();
    // Whatever arrived beyond one transaction's worth goes in the next turn of the event loop,
    // so sockets are read and acks sent between commits.
    if (this.queue.length > 0) this.schedule();
  }

  private flush(): void {
    const group: PendingWrite[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (group.length === 0 || rows + this.queue[0]!.rows <= this.flushRows)) {
      const w = this.queue.shift()!;
      group.push(w);
      rows += w.rows;
    }
    this.queuedRows -= rows;
    if (group.length === 0) return;
    let results: number[];
    try {
      results = this.commit(group);
    } catch {
      // One bad write must not fail the others: retry each alone and fail only the culprit.
      for (const w of group) {
        try {
          w.resolve(this.commit([w])[0]!);
        } catch (err) {
          w.reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
      return;
    }
    group.forEach((w, i) => w.resolve(results[i]!));
  }

  private commit(group: PendingWrite[]): number[] {
    this.rollups.clear();
    const run = this.db.transaction(() => {
      const projects = new Set<string>();
      for (const w of group) {
        for (const tx of w.txs) projects.add(tx.pcode);
        for (const c of w.counters) projects.add(c.pcode);
      }
      for (const pcode of projects) this.insertProject.run(pcode);
      const stored = group.map((w) => {
        let n = 0;
        for (const tx of w.txs) if (this.insertTransaction(tx)) n++;
        this.counters.write(w.counters);
        return n;
      });
      for (const r of this.rollups.values()) {
        const hist = histogramToBlob(r.hist);
        this.upsertRollup.run(
          r.pcode, r.kind, r.minute, r.agentId, r.key, r.count, r.errors, r.sum, r.min, r.max, r.sqlTime,
          r.httpcTime, hist, r.message, r.url, r.lastSeen, r.exampleTxid,
        );
        // A minute already folded into the coarse tables (a resend after a restart, a late agent).
        if (r.minute < this.compactor.doneTo(r.pcode)) {
          const addition = {
            pcode: r.pcode, kind: r.kind, at: r.minute, key: r.key, count: r.count, errors: r.errors, sum: r.sum,
            min: r.min, max: r.max, sql_time: r.sqlTime, httpc_time: r.httpcTime, hist, message: r.message,
            url: r.url, last_seen: r.lastSeen, example_txid: r.exampleTxid,
          };
          this.compactor.coarse.addStat(addition);
          this.compactor.coarse.addAgentStat({ ...addition, agent_id: r.agentId });
        }
      }
      return stored;
    });
    try {
      return run();
    } finally {
      this.rollups.clear();
    }
  }

  private insertTransaction(tx: PreparedTransaction): boolean {
    const info = this.insertTx.run(
      tx.pcode, tx.txid, tx.agentId, tx.objectName, tx.start, tx.end, tx.elapsed, tx.errorClass !== null ? 1 : 0, tx.url,
      tx.method, tx.status, tx.errorClass, tx.errorMessage, tx.errorStack, tx.clientIp, tx.userAgent, tx.cpu,
      tx.sqlCount, tx.sqlTime, tx.httpcCount, tx.httpcTime, tx.params, tx.stepsJson, tx.traceId, tx.spanId,
      tx.parentSpanId,
    );
    if (info.changes === 0) return false;
    this.rollups.addTransaction(tx);
    return true;
  }
}
