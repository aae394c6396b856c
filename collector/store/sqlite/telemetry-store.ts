// STUB owned by the ingest helper: the SQLite telemetry store.
import type { TelemetryStore } from '../telemetry-store';

export function openSqliteTelemetryStore(_file: string): TelemetryStore {
  throw new Error('telemetry store not implemented yet');
}
