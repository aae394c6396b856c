import { WIRE_LIMITS } from '../../src/api/wire';
import { defaultMaxPastMs, INGEST_DEFAULTS, RETENTION_DEFAULTS } from '../config/schema';

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

/**
 * The config with every absent field set to its default (INGEST_DEFAULTS); the past bound
 * defaults to the raw retention plus a day.
 */
export function resolveIngestConfig(c: IngestConfig, rawDays: number = RETENTION_DEFAULTS.rawDays): ResolvedIngestConfig {
  const given = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as IngestConfig;
  const resolved: ResolvedIngestConfig = { ...INGEST_DEFAULTS, maxPastMs: defaultMaxPastMs(rawDays), ...given };
  resolved.maxBatch = Math.min(resolved.maxBatch, WIRE_LIMITS.maxBatch);
  return resolved;
}
