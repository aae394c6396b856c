import type { Socket } from 'node:net';
import type { AgentStore, LicenseStore, ProjectStore } from '../store/meta-store';
import type { TelemetryWriter } from '../store/telemetry-store';
import type { AgentTracker } from './agent-tracker';
import { licensePrefix, parseLicenseKey } from '../licenses/license-key';
import { checkLicense } from './auth';
import { HELLO_MAX_FRAME, type IngestLog, type ResolvedIngestConfig } from './config';
import {
  EmptyFrameError,
  encodeFrame,
  type Frame,
  FrameDecoder,
  FrameTooLargeError,
  FrameType,
  parseJsonObject,
} from './frames';
import { fastTransactionRecords } from './fast-validate';
import { counterBatchSchema, describeIssue, helloSchema, seqSchema, txBatchSchema } from './messages';
import { FrameRateLimit } from './frame-rate';
import { type AgentIdentity, toCounterRecord, toTransactionRecord } from './records';
import type { RefusalLog } from './refusal-log';
import { counterTimeIssue, transactionTimeIssue } from './time-window';

/** Shared by all connections of one ingest server. */
export interface IngestContext {
  meta: LicenseStore & ProjectStore & AgentStore;
  telemetry: TelemetryWriter;
  config: ResolvedIngestConfig;
  log: IngestLog;
  tracker: AgentTracker;
  refusals: RefusalLog;
  /** Bytes of batches being stored plus frames being received (decoder reservations), over all connections. */
  inflight: { bytes: number };
  /** Connections that stopped reading until the memory budget frees up (first come, first served). */
  waiting: Set<IngestConnection>;
  /** Open sessions per license lookup, for the per-license connection limit. */
  perLicense: Map<string, number>;
  /** Wakes waiting connections after budget was released. */
  budgetFreed(): void;
  shuttingDown: boolean;
}

type State = 'hello' | 'authenticating' | 'ready' | 'closed';

/** Pause reading from a peer that does not read its acks once this much output is queued. */
const MAX_WRITE_BUFFER = 1024 * 1024;
const BUSY_RETRY_MS = 500;
/** Frames above this size may take at most 3/4 of the budget, so small batches always find room. */
const SMALL_FRAME = 256 * 1024;

/**
 * One agent connection: handshake, then batches answered with ACK / BUSY / REJECT.
 * Anything malformed ends this connection (ERROR, then close) and nothing else;
 * batches already being stored still complete, and their acks go out if the socket is open.
 */
export class IngestConnection {
  private state: State = 'hello';
  private readonly decoder: FrameDecoder;
  private agent: AgentIdentity | null = null;
  private inflightBytes = 0;
  private readonly pending = new Set<Promise<void>>();
  private held: Frame[] = [];
  private helloTimer: NodeJS.Timeout | null;
  private wasConnected = false;
  private closeHandled = false;
  private writePaused = false;
  private readonly rate: FrameRateLimit;
  /** The visible prefix of the presented key (never the key) for log lines. */
  private keyPrefix = '';
  private loggedRefusal = false;
  private admitted: { lookup: string; pcode: string } | null = null;
  /** Bytes this connection's decoder holds in the global budget. */
  private decoderHeld = 0;
  private budgetPaused = false;
  private onClosed!: () => void;
  /** Resolves after the connection closed and the agent's registry entry was updated. */
  readonly closed = new Promise<void>((resolve) => (this.onClosed = resolve));

  constructor(
    private readonly socket: Socket,
    private readonly ctx: IngestContext,
  ) {
    this.decoder = new FrameDecoder(HELLO_MAX_FRAME);
    this.rate = new FrameRateLimit(ctx.config.maxFramesPerSecond, ctx.config.frameBurst);
    socket.setNoDelay(true);
    socket.setTimeout(ctx.config.idleTimeoutMs);
    socket.on('timeout', () => this.end('idle_timeout', `no frame for ${ctx.config.idleTimeoutMs} ms`));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      if (!this.writePaused) return;
      this.writePaused = false;
      if (this.state === 'ready' && !ctx.shuttingDown) this.resumeReading();
    });
    socket.on('error', () => {
      /* peer resets are normal; 'close' follows */
    });
    socket.on('close', () => void this.onClose());
    this.helloTimer = setTimeout(
      () => this.end('hello_timeout', `no HELLO within ${ctx.config.helloTimeoutMs} ms`),
      ctx.config.helloTimeoutMs,
    );
  }

  /** Resolves when every batch this connection handed to the store has been answered. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops reading; the socket closes once pending batches are answered. */
  async shutdown(): Promise<void> {
    this.socket.pause();
    await this.settle();
    if (this.state !== 'closed') this.end('shutting_down', 'the collector is shutting down; reconnect later');
  }

  /** The license this session was admitted with (after WELCOME), for the revocation re-check. */
  get license(): { lookup: string; pcode: string } | null {
    return this.state === 'ready' ? this.admitted : null;
  }

  /** Ends an admitted session whose key was revoked or whose project was deleted. */
  revoke(code: string, message: string): void {
    if (this.state !== 'ready') return;
    this.refuse(code, message);
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
      this.accountDecoder();
    } catch (err) {
      if (err instanceof FrameTooLargeError) this.fail('frame_too_large', err.message);
      else if (err instanceof EmptyFrameError) this.fail('malformed', err.message);
      else this.fail('malformed', 'unreadable frame');
      return;
    }
    if (frames.length > 0 && !this.rate.take(frames.length)) {
      const c = this.ctx.config;
      return this.fail('rate_limited', `more than ${c.maxFramesPerSecond} frames per second (burst ${c.frameBurst})`);
    }
    for (const frame of frames) {
      const state = this.state as State; // onFrame may have closed the connection
      if (state === 'closed') return;
      if (state === 'authenticating') this.held.push(frame);
      else this.onFrame(frame);
    }
  }

  private onFrame(frame: Frame): void {
    if (this.state === 'hello') {
      if (frame.type !== FrameType.HELLO) return this.fail('hello_required', 'the first frame must be HELLO');
      return void this.onHello(frame.body);
    }
    switch (frame.type) {
      case FrameType.TX_BATCH:
        return this.onBatch(frame.body, 'txs');
      case FrameType.COUNTERS:
        return this.onBatch(frame.body, 'counters');
      case FrameType.HEARTBEAT:
        if (frame.body.length > 0 && !parseJsonObject(frame.body)) {
          return this.fail('malformed', 'HEARTBEAT body must be empty or a JSON object');
        }
        this.ctx.tracker.seen(this.agent!.agentId);
        return;
      case FrameType.HELLO:
        return this.fail('protocol', 'HELLO was already received on this connection');
      default:
        return this.fail('unknown_type', `unknown frame type 0x${frame.type.toString(16).padStart(2, '0')}`);
    }
  }

  private async onHello(body: Buffer): Promise<void> {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    const json = parseJsonObject(body);
    const hello = json ? helloSchema.safeParse(json) : null;
    if (!hello?.success) {
      const why = hello ? describeIssue(hello.error).message : 'body is not a JSON object';
      return this.refuse('protocol', `not a valid HELLO (${why})`);
    }
    this.state = 'authenticating';
    this.socket.pause();
    const { license, proto: _proto, ...info } = hello.data;
    const parsedKey = parseLicenseKey(license);
    this.keyPrefix = parsedKey ? licensePrefix(parsedKey.pcode, parsedKey.lookup) : '(not a Tapscope key)';
    try {
      const check = await checkLicense(this.ctx.meta, license);
      if (this.state !== 'authenticating') return;
      if (!check.ok) return this.refuse(check.code, check.message);
      const open = this.ctx.perLicense.get(check.lookup) ?? 0;
      if (open >= this.ctx.config.maxConnectionsPerLicense) {
        return this.refuse(
          'license_connections',
          `This license key already has ${open} open connections to this collector (limit ${this.ctx.config.maxConnectionsPerLicense}); close some agents or use another key.`,
        );
      }
      this.ctx.perLicense.set(check.lookup, open + 1);
      this.admitted = { lookup: check.lookup, pcode: check.pcode };
      const cap = this.ctx.config.maxAgentsPerProject;
      if ((await this.ctx.meta.countAgents(check.pcode)) >= cap) {
        const known = (await this.ctx.meta.listAgents(check.pcode)).some((a) => a.objectName === info.objectName);
        if (this.state !== 'authenticating') return;
        if (!known) {
          return this.refuse(
            'agent_limit',
            `The project already has ${cap} agents (the limit); a new object name is not registered. Inactive agents expire after ${this.ctx.config.agentExpiryDays} days.`,
          );
        }
      }
      const now = Date.now();
      const row = await this.ctx.meta.upsertAgent(check.pcode, info, now);
      if (this.state !== 'authenticating') return;
      this.agent = { pcode: check.pcode, agentId: row.id, objectName: row.objectName };
      await this.ctx.tracker.connected(row.id, now);
      this.wasConnected = true;
      // The socket closed while registering: onClose could not undo what it did not see yet.
      if (this.closeHandled) return void (await this.ctx.tracker.disconnected(row.id));
      await this.ctx.meta.touchLicense(check.licenseId, now);
    } catch (err) {
      this.ctx.log.error({ err: String(err) }, 'ingest: handshake failed on a store error');
      return this.fail('unavailable', 'the collector cannot check licenses right now; retry later');
    }
    if (this.state !== 'authenticating') return;
    const c = this.ctx.config;
    this.decoder.maxFrame = c.maxFrameBytes;
    this.state = 'ready';
    this.send(FrameType.WELCOME, {
      pcode: this.agent.pcode,
      agentId: this.agent.agentId,
      objectName: this.agent.objectName,
      maxFrame: c.maxFrameBytes,
      maxBatch: c.maxBatch,
      heartbeatMs: c.heartbeatMs,
    });
    this.ctx.log.debug?.(
      { pcode: this.agent.pcode, agentId: this.agent.agentId, objectName: this.agent.objectName, remote: this.socket.remoteAddress },
      'ingest: agent connected',
    );
    const held = this.held;
    this.held = [];
    for (const f of held) if (this.state === 'ready') this.onFrame(f);
    if (this.state === 'ready') this.resumeReading();
  }

  private resumeReading(): void {
    if (!this.writePaused && !this.budgetPaused && this.state !== 'closed') this.socket.resume();
  }

  /**
   * Counts the decoder's partial frame (its full declared size) against the global budget.
   * Beyond the budget the connection stops reading: the peer's bytes wait in the kernel,
   * not in the collector's memory, until completed batches free room.
   */
  private accountDecoder(): void {
    const budget = this.ctx.inflight;
    const want = this.decoder.needed;
    const grow = want - this.decoderHeld;
    if (grow <= 0) {
      budget.bytes += grow;
      this.decoderHeld = want;
      if (grow < 0) this.ctx.budgetFreed();
      return;
    }
    const c = this.ctx.config;
    const limit = want > SMALL_FRAME ? (c.maxTotalBytes * 3) / 4 : c.maxTotalBytes;
    if (budget.bytes + grow <= limit) {
      budget.bytes += grow;
      this.decoderHeld = want;
      if (this.budgetPaused) {
        this.budgetPaused = false;
        this.ctx.waiting.delete(this);
        this.resumeReading();
      }
      return;
    }
    const actual = this.decoder.pending;
    budget.bytes += actual - this.decoderHeld;
    this.decoderHeld = actual;
    if (!this.budgetPaused) {
      this.budgetPaused = true;
      this.ctx.waiting.add(this);
      this.socket.pause();
    }
  }

  /** Called by the server when budget was released: try to take what this connection waits for. */
  retryBudget(): void {
    if (this.budgetPaused && this.state !== 'closed') this.accountDecoder();
  }

  private onBatch(body: Buffer, kind: 'txs' | 'counters'): void {
    const json = parseJsonObject(body);
    if (!json) return this.fail('malformed', 'batch body is not a JSON object');
    const seq = seqSchema.safeParse(json.seq);
    if (!seq.success) return this.fail('protocol', 'batch without a valid seq (a positive integer)');
    const agent = this.agent!;
    this.ctx.tracker.seen(agent.agentId);
    const c = this.ctx.config;
    // Overload is checked before validation: under pressure, spend no CPU on what is not stored.
    const size = body.length;
    const busy =
      this.ctx.shuttingDown ||
      this.inflightBytes + size > c.maxConnectionBytes ||
      this.ctx.inflight.bytes + size > c.maxTotalBytes ||
      this.ctx.telemetry.backlog() > c.maxBacklogRows;
    if (busy) return this.send(FrameType.BUSY, { seq: seq.data, retryAfterMs: BUSY_RETRY_MS });
    const items = json[kind];
    if (Array.isArray(items) && items.length > c.maxBatch) {
      return this.reject(seq.data, { field: kind, message: `${kind}: at most ${c.maxBatch} per batch, got ${items.length}` });
    }
    let write: Promise<number>;
    if (kind === 'txs') {
      let records = fastTransactionRecords(agent, items);
      if (!records) {
        // The slow path names the offending field (or accepts what the fast path was unsure of).
        const parsed = txBatchSchema.safeParse(json);
        if (!parsed.success) return this.reject(seq.data, describeIssue(parsed.error));
        records = parsed.data.txs.map((t) => toTransactionRecord(agent, t));
      }
      const late = transactionTimeIssue(records, Date.now(), c);
      if (late) return this.reject(seq.data, late);
      write = this.ctx.telemetry.writeTransactions(records);
    } else {
      const parsed = counterBatchSchema.safeParse(json);
      if (!parsed.success) return this.reject(seq.data, describeIssue(parsed.error));
      const records = parsed.data.counters.map((x) => toCounterRecord(agent, x));
      const late = counterTimeIssue(records, Date.now(), c);
      if (late) return this.reject(seq.data, late);
      this.ctx.tracker.appProcesses(agent.agentId, records);
      write = this.ctx.telemetry.writeCounters(records).then(() => records.length);
    }
    this.track(seq.data, size, write);
  }

  /** Answers the batch once the store settled it: ACK after a durable write, else BUSY. */
  private track(seq: number, size: number, write: Promise<number>): void {
    this.inflightBytes += size;
    this.ctx.inflight.bytes += size;
    const agent = this.agent!;
    const tracked: Promise<void> = write
      .then(
        (stored) => this.send(FrameType.ACK, { seq, stored }),
        (err: unknown) => {
          this.ctx.log.error({ err: String(err), pcode: agent.pcode }, 'ingest: store write failed; batch answered BUSY');
          this.send(FrameType.BUSY, { seq, retryAfterMs: 2000 });
        },
      )
      .finally(() => {
        this.inflightBytes -= size;
        this.ctx.inflight.bytes -= size;
        this.pending.delete(tracked);
        this.ctx.budgetFreed();
      });
    this.pending.add(tracked);
  }

  private reject(seq: number, { field, message }: { field: string; message: string }): void {
    this.warnOnce('ingest: batch rejected', { code: 'invalid', field, reason: message });
    this.send(FrameType.REJECT, { seq, code: 'invalid', field, message });
  }

  private refuse(code: string, message: string): void {
    this.warnOnce('ingest: agent refused', { code, reason: message });
    this.send(FrameType.REFUSE, { code, message });
    this.close();
  }

  /** A protocol error: ERROR frame, a warn line, close. */
  private fail(code: string, message: string): void {
    if (this.state === 'closed') return;
    this.warnOnce('ingest: protocol error; connection closed', { code, reason: message });
    this.end(code, message);
  }

  /** Closes with an ERROR frame that is no one's fault (timeouts, shutdown): debug only. */
  private end(code: string, message: string): void {
    if (this.state === 'closed') return;
    this.ctx.log.debug?.({ code, remote: this.socket.remoteAddress }, 'ingest: connection closed');
    this.send(FrameType.ERROR, { code, message });
    this.close();
  }

  /** One warn line per connection (the first problem), through the server's rate limit. */
  private warnOnce(msg: string, fields: Record<string, unknown>): void {
    if (this.loggedRefusal) return;
    this.loggedRefusal = true;
    this.ctx.refusals.warn(
      { ...fields, remote: this.socket.remoteAddress, key: this.keyPrefix || undefined, pcode: this.agent?.pcode },
      msg,
    );
  }

  private send(type: number, body: unknown): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    const ok = this.socket.write(encodeFrame(type, body));
    if (!ok && this.socket.writableLength > MAX_WRITE_BUFFER) {
      this.writePaused = true;
      this.socket.pause();
    }
  }

  private close(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    this.state = 'closed';
    this.held = [];
    this.socket.end();
    // A peer that never reads would keep a half-closed socket alive; cut it after a grace period.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  private async onClose(): Promise<void> {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.state = 'closed';
    this.closeHandled = true;
    this.ctx.waiting.delete(this);
    this.ctx.inflight.bytes -= this.decoderHeld;
    this.decoderHeld = 0;
    this.ctx.budgetFreed();
    if (this.admitted) {
      const n = (this.ctx.perLicense.get(this.admitted.lookup) ?? 1) - 1;
      if (n > 0) this.ctx.perLicense.set(this.admitted.lookup, n);
      else this.ctx.perLicense.delete(this.admitted.lookup);
    }
    if (this.agent && this.wasConnected) {
      try {
        await this.ctx.tracker.disconnected(this.agent.agentId);
      } catch (err) {
        this.ctx.log.warn({ err: String(err) }, 'ingest: could not mark agent disconnected');
      }
    }
    this.onClosed();
  }
}
