import type { AuditEntry, AuditStore } from '../meta-store';
import type { PgPool } from './pool';

/** The audit log: who did what to which object, from where. Never holds a secret. */
export function pgAuditMethods(pool: PgPool): AuditStore {
  return {
    audit: async (e: AuditEntry) => {
      await pool.query('INSERT INTO audit_log (time, actor, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)', [
        e.time,
        e.actor,
        e.action,
        e.target,
        e.detail,
        e.ip,
      ]);
    },
    listAudit: async (limit) =>
      (
        await pool.query<AuditEntry>(
          'SELECT time, actor, action, target, detail, ip FROM audit_log ORDER BY time DESC, id DESC LIMIT $1',
          [Math.max(0, Math.floor(limit))],
        )
      ).rows,
  };
}
