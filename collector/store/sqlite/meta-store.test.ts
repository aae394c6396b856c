import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDataDir } from '../../testing/test-collector';
import type { MetaStore } from '../meta-store';
import { openSqliteMetaStore } from './meta-store';
import { metaMigrations } from './meta-migrations';

let dir: { dataDir: string; remove(): void };
let file: string;
let store: MetaStore;
const now = 1_700_000_000_000;
beforeEach(() => {
  dir = makeDataDir();
  file = join(dir.dataDir, 'meta.sqlite');
  store = openSqliteMetaStore(file, { now: () => now });
});
afterEach(async () => {
  await store.close();
  dir.remove();
});

// The engine-neutral behaviour is in ../conformance (meta-suite.ts, run for SQLite by sqlite.test.ts);
// here only what is SQLite's own: the file, its journal mode and its migrations.
describe('the SQLite meta store', () => {
  it('opens in WAL mode with foreign keys and records its migrations; reopening is a no-op', async () => {
    await store.close();
    store = openSqliteMetaStore(file);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'users_disabled_at' },
      { version: 3, name: 'agents_app_pids' },
    ]);
    db.close();
  });

  it('refuses a database written by a newer version', async () => {
    await store.close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations VALUES (99, ?, 0)').run('future');
    db.close();
    expect(() => openSqliteMetaStore(file)).toThrow(/newer Tapscope \(schema version 99/);
    store = openSqliteMetaStore(join(dir.dataDir, 'other.sqlite'));
  });

  it('upgrades a version-1 database: its users keep signing in (not disabled)', async () => {
    await store.close();
    const old = join(dir.dataDir, 'v1.sqlite');
    const db = new Database(old);
    db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    db.exec(metaMigrations[0]!.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (1, 'initial', 0)").run();
    db.prepare("INSERT INTO users (username, password_hash, admin, created_at) VALUES ('old', 'h', 1, 1)").run();
    db.close();
    store = openSqliteMetaStore(old);
    expect(await store.getUserByName('old')).toMatchObject({ admin: true, disabledAt: null });
  });
});
