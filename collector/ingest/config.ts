import type { RetentionPolicy } from '../store/telemetry-store';
import { DEFAULT_MAX_FRAME } from './frames';
import { LIMITS } from './messages';

export interface IngestLog {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
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
  /** PEM key and certificate: when set, agents connect with TLS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export type ResolvedIngestConfig = Required<Omit<IngestConfig, 'tls'>> & Pick<IngestConfig, 'tls'>;

/** A HELLO is small; before authentication a peer may not make the collector buffer more. */
export const HELLO_MAX_FRAME = 64 * 1024;

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
    tls: c.tls,
  };
}

export const DEFAULT_RETENTION: RetentionPolicy = { rawDays: 7, rollupDays: 90 };
