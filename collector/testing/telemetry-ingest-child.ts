/**
 * An ingest server in its own process, for the crash test: `node --import tsx
 * collector/testing/telemetry-ingest-child.ts <dataDir>`. Prints one JSON line
 * `{port, license, pcode}` once listening, then serves until killed (the harness's
 * close(), which would remove the directory, never runs: the test reads the files after).
 */
import { startIngestHarness } from './telemetry-fixtures';

const dir = process.argv[2];
if (!dir) throw new Error('usage: telemetry-ingest-child.ts <dataDir>');
const { port, license, pcode } = await startIngestHarness({ dir });
process.stdout.write(`${JSON.stringify({ port, license, pcode })}\n`);
