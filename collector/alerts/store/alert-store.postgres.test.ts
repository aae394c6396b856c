import { afterAll, beforeAll, describe } from 'vitest';
import { type PgServer, postgresAvailable, startPgServer } from '../../testing/pg-server';
import { describeAlertStoreConformance } from './alert-store-suite';
import { openPostgresAlertStore } from './postgres-alert-store';

// Enabled when Debian's PostgreSQL is installed (scripts/install-system-deps.sh installs it for `npm test`).
describe.runIf(postgresAvailable())('PostgreSQL alert store', () => {
  let server: PgServer;
  let databases = 0;
  beforeAll(async () => {
    server = await startPgServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describeAlertStoreConformance({
    name: 'PostgreSQL',
    async create() {
      const url = await server.createDatabase(`alerts_${process.pid}_${++databases}`);
      return { open: () => openPostgresAlertStore(url) };
    },
  });
});
