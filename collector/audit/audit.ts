import type { AuditStore } from '../store/meta-store';

/** Everything the audit log records. Entries name who, what and where — never a password, key or token. */
export type AuditAction =
  | 'setup'
  | 'sign_in'
  | 'sign_in_failed'
  | 'sign_out'
  | 'user_created'
  | 'user_disabled'
  | 'user_enabled'
  | 'user_deleted'
  | 'project_created'
  | 'project_updated'
  | 'project_deleted'
  | 'license_issued'
  | 'license_revoked'
  | 'member_added'
  | 'member_role_changed'
  | 'member_removed'
  | 'signed_out_everywhere';

export interface AuditInput {
  actor: string;
  action: AuditAction;
  target: string;
  detail?: string;
  ip: string;
  time: number;
}

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1) + '…' : s);

/** Writes one audit entry; fields are clipped so a hostile value cannot bloat the log. */
export async function recordAudit(meta: AuditStore, input: AuditInput): Promise<void> {
  await meta.audit({
    time: input.time,
    actor: clip(input.actor, 64),
    action: input.action,
    target: clip(input.target, 200),
    detail: clip(input.detail ?? '', 500),
    ip: clip(input.ip, 64),
  });
}
