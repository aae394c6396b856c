import type { AuditEntry, AuditStore } from '../meta-store';
import type { SqliteDatabase } from './db';

/** The audit log: who did what to which object, from where. Never holds a secret. */
export function auditMethods(db: SqliteDatabase): AuditStore {
  const insert = db.prepare(
    'INSERT INTO audit_log (time, actor, action, target, detail, ip) VALUES (@time, @actor, @action, @target, @detail, @ip)',
  );
  const list = db.prepare(
    'SELECT time, actor, action, target, detail, ip FROM audit_log ORDER BY time DESC, id DESC LIMIT ?',
  );
  return {
    audit: async (entry: AuditEntry) => {
      insert.run(entry);
    },
    listAudit: async (limit) => list.all(Math.max(0, Math.floor(limit))) as AuditEntry[],
  };
}
