import net from 'node:net';
import tls from 'node:tls';
import type { AgentStore, LicenseStore, ProjectStore } from '../store/meta-store';
import type { RetentionPolicy, TelemetryMaintenance, TelemetryWriter } from '../store/telemetry-store';
import { AgentTracker } from './agent-tracker';
import { RETENTION_DEFAULTS } from '../config/schema';
import { type IngestConfig, type IngestLog, resolveIngestConfig } from './config';
import { type IngestContext, IngestConnection } from './connection';
import { encodeFrame, FrameType } from './frames';
import { startLicenseWatch } from './license-watch';
import { RefusalLog } from './refusal-log';
import { startRetentionJob } from './retention';

export interface IngestDeps {
  meta: LicenseStore & ProjectStore & AgentStore;
  telemetry: TelemetryWriter & TelemetryMaintenance;
  /** Validated collector config (collector/config.ts); only the fields read here. */
  config: { ingest: IngestConfig; retention?: RetentionPolicy };
  log: IngestLog;
  /** Run the hourly retention job (default true). */
  retentionJob?: boolean;
}

export interface IngestServer {
  port: number;
  /** Connections currently open. */
  connections(): number;
  /** Bytes counted in the global ingest budget now: batches being stored and frames being received. */
  budgetBytes(): number;
  close(): Promise<void>;
}

/**
 * The TCP listener agents connect to (docs/protocol.md). Resolves once listening.
 * close() stops accepting, lets every batch already handed to the store be answered,
 * closes the connections and writes the agents' last-seen marks.
 */
export async function startIngestServer(deps: IngestDeps): Promise<IngestServer> {
  const retention = deps.config.retention ?? RETENTION_DEFAULTS;
  const config = resolveIngestConfig(deps.config.ingest, retention.rawDays);
  const tracker = new AgentTracker(deps.meta, deps.log);
  const ctx: IngestContext = {
    meta: deps.meta,
    telemetry: deps.telemetry,
    config,
    log: deps.log,
    tracker,
    refusals: new RefusalLog(deps.log, config.maxRefusalLogPerMinute),
    inflight: { bytes: 0 },
    waiting: new Set(),
    perLicense: new Map(),
    budgetFreed: () => {
      for (const c of [...ctx.waiting]) c.retryBudget();
    },
    shuttingDown: false,
  };
  const open = new Set<IngestConnection>();

  const onSocket = (socket: net.Socket) => {
    if (open.size >= config.maxConnections) {
      ctx.refusals.warn({ code: 'busy', remote: socket.remoteAddress, limit: config.maxConnections }, 'ingest: connection refused: at the connection limit');
      socket.on('error', () => {});
      socket.end(encodeFrame(FrameType.ERROR, { code: 'busy', message: 'too many connections; retry later' }));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    deps.log.debug?.({ remote: socket.remoteAddress }, 'ingest: connection opened');
    const conn = new IngestConnection(socket, ctx);
    open.add(conn);
    socket.once('close', () => open.delete(conn));
  };
  const server = config.tls
    ? tls.createServer({ key: config.tls.key, cert: config.tls.cert }, onSocket)
    : net.createServer(onSocket);
  server.on('error', (err) => deps.log.error({ err: String(err) }, 'ingest: listener error'));
  if (config.tls) {
    // A failed TLS handshake is that peer's problem; never let it reach the process.
    (server as tls.Server).on('tlsClientError', () => {});
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  deps.log.info({ host: config.host, port, tls: Boolean(config.tls) }, 'ingest: listening for agents');

  const watch = startLicenseWatch(deps.meta, () => open, config.licenseCheckMs, deps.log);
  const retentionJob =
    deps.retentionJob === false
      ? null
      : startRetentionJob(deps.telemetry, retention, deps.log, {
          agents: { meta: deps.meta, expiryMs: config.agentExpiryDays * 86_400_000 },
        });

  let closing: Promise<void> | null = null;
  return {
    port,
    connections: () => open.size,
    budgetBytes: () => ctx.inflight.bytes,
    close() {
      closing ??= (async () => {
        ctx.shuttingDown = true;
        retentionJob?.stop();
        watch.stop();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const conns = [...open];
        await Promise.all(conns.map((c) => c.shutdown()));
        await stopped;
        await Promise.all(conns.map((c) => c.closed));
        await tracker.close();
        deps.log.info({}, 'ingest: closed');
      })();
      return closing;
    },
  };
}
