import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseServer } from '../../testing/clickhouse-server';
import type { PgServer } from '../../testing/pg-server';
import { openClickHouseTelemetryStore } from '../clickhouse/telemetry-store';
import { openPostgresMetaStore } from '../postgres/meta-store';
import { openSqliteMetaStore } from '../sqlite/meta-store';
import { openSqliteTelemetryStore } from '../sqlite/telemetry-store';
import type { MetaEngine, TelemetryEngine } from './fixtures';

/** Every location an engine made, removed by cleanup() (afterAll). */
export interface EngineWithCleanup<E> {
  engine: E;
  cleanup(): void;
}

function tempDirs() {
  const dirs: string[] = [];
  return {
    make: () => {
      const d = mkdtempSync(join(tmpdir(), 'tapscope-conformance-'));
      dirs.push(d);
      return d;
    },
    cleanup: () => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })),
  };
}

export function sqliteMetaEngine(): EngineWithCleanup<MetaEngine> {
  const dirs = tempDirs();
  return {
    engine: {
      name: 'SQLite',
      shared: false,
      async create(now) {
        const file = join(dirs.make(), 'meta.sqlite');
        return { open: async () => openSqliteMetaStore(file, { now }) };
      },
    },
    cleanup: dirs.cleanup,
  };
}

export function sqliteTelemetryEngine(): EngineWithCleanup<TelemetryEngine> {
  const dirs = tempDirs();
  return {
    engine: {
      name: 'SQLite',
      shared: false,
      async create() {
        const file = join(dirs.make(), 'telemetry.sqlite');
        return { open: async () => openSqliteTelemetryStore(file) };
      },
    },
    cleanup: dirs.cleanup,
  };
}

let databases = 0;
const nextName = () => `conformance_${process.pid}_${++databases}`;

/** PostgreSQL: a fresh database per test on a server the test file started. */
export function postgresMetaEngine(server: () => PgServer): MetaEngine {
  return {
    name: 'PostgreSQL',
    shared: true,
    async create(now) {
      const url = await server().createDatabase(nextName());
      return { open: () => openPostgresMetaStore(url, { now }) };
    },
  };
}

/**
 * ClickHouse: a fresh database per test, through the password-protected user and the
 * clickhouse:// scheme. settleMs 0: the tests write and read in turn, every write finished
 * before the next read (the two-collector test included), so no visibility margin is needed.
 */
export function clickhouseTelemetryEngine(server: () => ClickHouseServer): TelemetryEngine {
  return {
    name: 'ClickHouse',
    shared: true,
    async create() {
      const url = server().authUrl(nextName());
      return { open: () => openClickHouseTelemetryStore(url, { flushMs: 20, settleMs: 0 }) };
    },
  };
}
