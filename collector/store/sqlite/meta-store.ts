import type { MetaStore } from '../meta-store';
import { openDatabase } from './db';
import { agentMethods } from './meta-agents';
import { auditMethods } from './meta-audit';
import { metaMigrations } from './meta-migrations';
import { licenseMethods } from './meta-licenses';
import { projectMethods } from './meta-projects';
import { userMethods } from './meta-users';

export interface SqliteMetaOptions {
  /** Clock for the writes whose interface method takes no time (project deletion). */
  now?: () => number;
}

/**
 * Opens the embedded meta database (`<dataDir>/meta.sqlite`). The methods are async to
 * match the interface; underneath they are synchronous better-sqlite3 calls, durable on
 * return (synchronous=FULL: the meta data is small and losing a sign-up or key to a power
 * cut would be worse than the cost).
 */
export function openSqliteMetaStore(file: string, options: SqliteMetaOptions = {}): MetaStore {
  const db = openDatabase(file, { synchronous: 'FULL', migrations: metaMigrations });
  const now = options.now ?? Date.now;
  let closed = false;
  return {
    ...userMethods(db),
    ...projectMethods(db, now),
    ...licenseMethods(db),
    ...agentMethods(db),
    ...auditMethods(db),
    close: async () => {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
