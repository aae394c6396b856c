import type { FastifyRequest } from 'fastify';
import type { MetaStore } from '../store/meta-store';

/** The alert actions of the audit log (written through the meta store like every other entry). */
export type AlertAuditAction =
  | 'alert_rule_created'
  | 'alert_rule_updated'
  | 'alert_rule_deleted'
  | 'alert_channel_created'
  | 'alert_channel_updated'
  | 'alert_channel_deleted'
  | 'incident_acknowledged'
  | 'silence_created'
  | 'silence_deleted';

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1) + '…' : s);

/**
 * One audit entry for an alert change, by the signed-in user. Details name rules, channels and
 * reasons — never a webhook secret, Slack URL or SMTP password.
 */
export async function auditAlert(
  meta: Pick<MetaStore, 'audit'>,
  request: FastifyRequest,
  action: AlertAuditAction,
  target: string,
  detail: string,
  time: number,
): Promise<void> {
  const actor = request.auth.kind === 'signed-in' ? request.auth.user.username : '-';
  await meta.audit({
    time,
    actor: clip(actor, 64),
    action,
    target: clip(target, 200),
    detail: clip(detail, 500),
    ip: clip(request.ip, 64),
  });
}
