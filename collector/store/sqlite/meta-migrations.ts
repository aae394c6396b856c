import type { SqlMigration } from '../migrations';

/** The meta database schema. Append new migrations; never edit a shipped one. */
export const metaMigrations: readonly SqlMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        password_hash TEXT NOT NULL,
        admin INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions(expires_at);

      -- A deleted project stays as a tombstone (deleted_at set) so its pcode is never reused
      -- and agents still holding its key are told the project was deleted.
      CREATE TABLE projects (
        pcode TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        grp TEXT NOT NULL DEFAULT '',
        timezone TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE UNIQUE INDEX projects_live_name ON projects(name COLLATE NOCASE) WHERE deleted_at IS NULL;

      CREATE TABLE members (
        pcode TEXT NOT NULL REFERENCES projects(pcode),
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
        PRIMARY KEY (pcode, user_id)
      );
      CREATE INDEX members_user ON members(user_id);

      CREATE TABLE licenses (
        id INTEGER PRIMARY KEY,
        pcode TEXT NOT NULL REFERENCES projects(pcode),
        lookup TEXT NOT NULL UNIQUE,
        secret_hash TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX licenses_pcode ON licenses(pcode);

      CREATE TABLE agents (
        id INTEGER PRIMARY KEY,
        pcode TEXT NOT NULL REFERENCES projects(pcode),
        object_name TEXT NOT NULL,
        app_name TEXT NOT NULL,
        process_name TEXT NOT NULL,
        hostname TEXT NOT NULL,
        ip TEXT NOT NULL,
        pid INTEGER NOT NULL,
        agent_version TEXT NOT NULL,
        python_version TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        connected_at INTEGER,
        UNIQUE (pcode, object_name)
      );

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        time INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL,
        ip TEXT NOT NULL
      );
      CREATE INDEX audit_time ON audit_log(time);
    `,
  },
  {
    version: 2,
    name: 'users_disabled_at',
    // A disabled user keeps their row (audit, memberships) but can neither sign in nor use a session.
    sql: 'ALTER TABLE users ADD COLUMN disabled_at INTEGER;',
  },
  {
    version: 3,
    name: 'agents_app_pids',
    // The pids of the app processes (workers) the agent reported counters for, comma-separated.
    sql: "ALTER TABLE agents ADD COLUMN app_pids TEXT NOT NULL DEFAULT '';",
  },
];
