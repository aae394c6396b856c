import { afterAll, beforeAll, describe } from 'vitest';
import { type ClickHouseServer, clickhouseAvailable, startClickHouseServer } from '../../testing/clickhouse-server';
import { clickhouseTelemetryEngine } from './engines';
import { describeTelemetryConformance } from './telemetry-suite';

// Enabled when Debian's clickhouse-server is installed (scripts/install-system-deps.sh installs it for `npm test`).
describe.runIf(clickhouseAvailable())('ClickHouse telemetry store', () => {
  let server: ClickHouseServer;
  beforeAll(async () => {
    server = await startClickHouseServer();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  describeTelemetryConformance(clickhouseTelemetryEngine(() => server));
});
