import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { pendingMigrations, type SqlMigration } from '../migrations';
import { ensurePrivateDir, ensurePrivateFile } from './private-files';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /** NORMAL survives a process crash in WAL mode; FULL also survives power loss. */
  synchronous: 'NORMAL' | 'FULL';
  migrations: readonly SqlMigration[];
}

/**
 * Opens (creating if needed, directory 0700 and file 0600) a SQLite database in WAL mode with foreign keys on and applies
 * the pending migrations, all in one transaction so a failed upgrade leaves the file as it was.
 */
export function openDatabase(file: string, options: OpenOptions): SqliteDatabase {
  ensurePrivateDir(dirname(file));
  ensurePrivateFile(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma('foreign_keys = ON');
    // Another collector process (or a backup) may hold the write lock briefly.
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: SqliteDatabase, migrations: readonly SqlMigration[], file: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const apply = db.transaction(() => {
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    const pending = pendingMigrations(migrations, row.v ?? 0, file);
    const insert = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of pending) {
      db.exec(m.sql);
      insert.run(m.version, m.name, Date.now());
    }
  });
  // IMMEDIATE: two collectors starting on the same directory must not both migrate.
  apply.immediate();
}
