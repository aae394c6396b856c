// STUB owned by the ingest helper: agents, hitmap, transactions, profile, counters, stats routes.
import type { FastifyInstance } from 'fastify';
import type { MetaStore } from '../store/meta-store';
import type { TelemetryStore } from '../store/telemetry-store';

export interface TelemetryRouteDeps {
  meta: MetaStore;
  telemetry: TelemetryStore;
}

export async function registerTelemetryRoutes(_app: FastifyInstance, _deps: TelemetryRouteDeps): Promise<void> {}
