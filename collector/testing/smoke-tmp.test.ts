import { it, expect } from 'vitest';
import { startPgServer } from './pg-server';
import { startClickHouseServer } from './clickhouse-server';
it('starts both', async () => {
  let t = Date.now();
  const pg = await startPgServer();
  console.log('pg up', Date.now() - t); t = Date.now();
  const url = await pg.createDatabase('t1');
  console.log('db', Date.now() - t, url); t = Date.now();
  const ch = await startClickHouseServer();
  console.log('ch up', Date.now() - t); t = Date.now();
  expect(await ch.query('SELECT 1')).toBe('1\n');
  await pg.stop(); await ch.stop();
  console.log('stopped', Date.now() - t);
}, 120000);
