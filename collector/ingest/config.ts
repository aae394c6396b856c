import type { RetentionPolicy } from '../store/telemetry-store';
import { DEFAULT_MAX_FRAME } from './frames';
import { LIMITS } from './messages';

export interface IngestLog {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug?(obj: unknown, msg?: string): void;
}

/** The ingest part of the collector config; everything but host and port has a default. */
export interface IngestConfig {
  host: string;
  port: number;
  maxFrameBytes?: number;
  /** Close a connection that sent nothing for this long (no heartbeat). */
  idleTimeoutMs?: number;
  /** The first frame must be a HELLO within this time. */
  helloTimeoutMs?: number;
  /** Announced in WELCOME: how often the agent should send a heartbeat. */
  heartbeatMs?: number;
  maxBatch?: number;
  /** Per connection: bytes of batches being stored; beyond this a batch gets BUSY. */
  maxConnectionBytes?: number;
  /** All connections: bytes of batches being stored; beyond this a batch gets BUSY. */
  maxTotalBytes?: number;
  /** Store write queue: rows waiting for a commit; beyond this a batch gets BUSY. */
  maxBacklogRows?: number;
  maxConnections?: number;
  /** Connections one license key may hold open at once (on this collector). */
  maxConnectionsPerLicense?: number;
  /** Agents one project may register; a new object name beyond it is refused (`agent_limit`). */
  maxAgentsPerProject?: number;
  /** Agents neither connected nor seen for this many days are deleted by the retention job. */
  agentExpiryDays?: number;
  /** Frames per second one connection may send (token bucket with `frameBurst`); beyond it the connection is closed. */
  maxFramesPerSecond?: number;
  frameBurst?: number;
  /** Accepted transaction / counter times: at most this far before / after the collector's clock. */
  maxPastMs?: number;
  maxFutureMs?: number;
  /** How often live sessions re-check their license (revocation, project deletion). */
  licenseCheckMs?: number;
  /** Warn lines about refusals and rejected batches per minute, over all connections. */
  maxRefusalLogPerMinute?: number;
  /** PEM key and certificate: when set, agents connect with TLS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export type ResolvedIngestConfig = Required<Omit<IngestConfig, 'tls'>> & Pick<IngestConfig, 'tls'>;

/** A HELLO is small; before authentication a peer may not make the collector buffer more. */
export const HELLO_MAX_FRAME = 64 * 1024;

const DAY = 86_400_000;

export function resolveIngestConfig(c: IngestConfig): ResolvedIngestConfig {
  return {
    host: c.host,
    port: c.port,
    maxFrameBytes: c.maxFrameBytes ?? DEFAULT_MAX_FRAME,
    idleTimeoutMs: c.idleTimeoutMs ?? 60_000,
    helloTimeoutMs: c.helloTimeoutMs ?? 10_000,
    heartbeatMs: c.heartbeatMs ?? 10_000,
    maxBatch: Math.min(c.maxBatch ?? LIMITS.maxBatch, LIMITS.maxBatch),
    maxConnectionBytes: c.maxConnectionBytes ?? 16 * 1024 * 1024,
    maxTotalBytes: c.maxTotalBytes ?? 256 * 1024 * 1024,
    maxBacklogRows: c.maxBacklogRows ?? 50_000,
    maxConnections: c.maxConnections ?? 4096,
    maxConnectionsPerLicense: c.maxConnectionsPerLicense ?? 64,
    maxAgentsPerProject: c.maxAgentsPerProject ?? 1000,
    agentExpiryDays: c.agentExpiryDays ?? 7,
    maxFramesPerSecond: c.maxFramesPerSecond ?? 2000,
    frameBurst: c.frameBurst ?? 4000,
    // The default past bound is the raw retention (7 days) plus a day of clock skew.
    maxPastMs: c.maxPastMs ?? 8 * DAY,
    maxFutureMs: c.maxFutureMs ?? DAY,
    licenseCheckMs: c.licenseCheckMs ?? 2000,
    maxRefusalLogPerMinute: c.maxRefusalLogPerMinute ?? 60,
    tls: c.tls,
  };
}

export const DEFAULT_RETENTION: RetentionPolicy = { rawDays: 7, rollupDays: 90 };
