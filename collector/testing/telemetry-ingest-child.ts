/**
 * An ingest server in its own process, for the crash test: `node --import tsx
 * collector/testing/telemetry-ingest-child.ts <dataDir>`. Prints one JSON line
 * `{port, license, pcode}` once listening, then serves until killed.
 */
import { join } from 'node:path';
import { startIngestServer } from '../ingest/server';
import { openSqliteMetaStore } from '../store/sqlite/meta-store';
import { openSqliteTelemetryStore } from '../store/sqlite/telemetry-store';
import { seedProject, silentLog } from './telemetry-fixtures';

const dir = process.argv[2];
if (!dir) throw new Error('usage: telemetry-ingest-child.ts <dataDir>');
const meta = openSqliteMetaStore(join(dir, 'meta.sqlite'));
await meta.createUser('admin', 'x', true, Date.now());
const { pcode, license } = await seedProject(meta);
const telemetry = openSqliteTelemetryStore(join(dir, 'telemetry.sqlite'));
const server = await startIngestServer({
  meta,
  telemetry,
  config: { ingest: { host: '127.0.0.1', port: 0 } },
  log: silentLog,
  retentionJob: false,
});
process.stdout.write(`${JSON.stringify({ port: server.port, license, pcode })}\n`);
