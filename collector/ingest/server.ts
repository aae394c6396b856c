// STUB owned by the ingest helper: replaced by the real TCP 6600 listener.
import type { MetaStore } from '../store/meta-store';
import type { TelemetryStore } from '../store/telemetry-store';

export interface IngestDeps {
  meta: MetaStore;
  telemetry: TelemetryStore;
  /** Validated collector config (collector/config.ts). */
  config: { ingest: { host: string; port: number; maxFrameBytes: number } };
  log: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}

export interface IngestServer {
  port: number;
  close(): Promise<void>;
}

export async function startIngestServer(_deps: IngestDeps): Promise<IngestServer> {
  return { port: 0, close: async () => {} };
}
