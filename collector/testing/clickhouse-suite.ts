import { afterAll, beforeAll } from 'vitest';
import { startClickHouseServer, type ClickHouseServer } from './clickhouse-server';

/**
 * One temporary ClickHouse server for the enclosing `describe` block: started before its tests,
 * stopped after them. Returns a getter (the server exists only once `beforeAll` has run).
 */
export function clickhouseForSuite(): () => ClickHouseServer {
  let server: ClickHouseServer | undefined;
  beforeAll(async () => {
    server = await startClickHouseServer();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the ClickHouse server is not started yet (use it inside a test or hook)');
    return server;
  };
}
