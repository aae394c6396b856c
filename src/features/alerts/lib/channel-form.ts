import type { AlertChannel, AlertChannelKind, CreateAlertChannelRequest, UpdateAlertChannelRequest } from '../../../api/alerts';

export const CHANNEL_FIELDS = [
  'kind',
  'name',
  'url',
  'secret',
  'to',
  'smtp',
  'smtp.host',
  'smtp.port',
  'smtp.security',
  'smtp.username',
  'smtp.password',
  'smtp.from',
] as const;
export type ChannelField = (typeof CHANNEL_FIELDS)[number];

/** The channel form as edited. Secrets start empty: on edit, empty keeps the stored one. */
export interface ChannelFormValues {
  kind: AlertChannelKind;
  name: string;
  url: string;
  secret: string;
  /** Recipients, separated by commas, spaces or new lines. */
  to: string;
  useSmtp: boolean;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: 'starttls' | 'tls' | 'none';
  smtpUsername: string;
  smtpPassword: string;
  smtpFrom: string;
  enabled: boolean;
}

export function emptyChannelForm(): ChannelFormValues {
  return {
    kind: 'webhook',
    name: '',
    url: '',
    secret: '',
    to: '',
    useSmtp: false,
    smtpHost: '',
    smtpPort: '587',
    smtpSecurity: 'starttls',
    smtpUsername: '',
    smtpPassword: '',
    smtpFrom: '',
    enabled: true,
  };
}

export function channelToForm(c: AlertChannel): ChannelFormValues {
  const base = { ...emptyChannelForm(), kind: c.kind, name: c.name, enabled: c.enabled };
  if (c.kind === 'webhook') return { ...base, url: c.url };
  if (c.kind === 'slack') return base;
  return {
    ...base,
    to: c.to.join(', '),
    useSmtp: c.smtp !== null,
    smtpHost: c.smtp?.host ?? '',
    smtpPort: String(c.smtp?.port ?? 587),
    smtpSecurity: c.smtp?.security ?? 'starttls',
    smtpUsername: c.smtp?.username ?? '',
    smtpFrom: c.smtp?.from ?? '',
  };
}

const recipients = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** The SMTP override; an empty password is left out (on edit the stored one is kept). */
function smtp(v: ChannelFormValues) {
  if (!v.useSmtp) return null;
  const port = Number(v.smtpPort);
  return {
    host: v.smtpHost,
    port: (Number.isInteger(port) && v.smtpPort.trim() !== '' ? port : v.smtpPort) as number,
    security: v.smtpSecurity,
    username: v.smtpUsername,
    ...(v.smtpPassword ? { password: v.smtpPassword } : {}),
    from: v.smtpFrom,
  };
}

export function formToCreate(v: ChannelFormValues): CreateAlertChannelRequest {
  if (v.kind === 'webhook') return { kind: 'webhook', name: v.name, url: v.url, secret: v.secret, enabled: v.enabled };
  if (v.kind === 'slack') return { kind: 'slack', name: v.name, url: v.url, enabled: v.enabled };
  return { kind: 'email', name: v.name, to: recipients(v.to), smtp: smtp(v), enabled: v.enabled };
}

/** The PATCH for an edit: fields of the channel's kind; a secret left empty is not sent (kept). */
export function formToUpdate(v: ChannelFormValues): UpdateAlertChannelRequest {
  const base = { name: v.name, enabled: v.enabled };
  if (v.kind === 'webhook') return { ...base, url: v.url, ...(v.secret ? { secret: v.secret } : {}) };
  if (v.kind === 'slack') return { ...base, ...(v.url ? { url: v.url } : {}) };
  return { ...base, to: recipients(v.to), smtp: smtp(v) };
}

/** Where a channel sends, in words; credentials only as the API's hints. */
export function channelTarget(c: AlertChannel): string {
  if (c.kind === 'webhook') return c.url;
  if (c.kind === 'slack') return c.urlHint;
  return c.to.join(', ') + (c.smtp ? ` via ${c.smtp.host}:${c.smtp.port}` : ' via the collector’s SMTP settings');
}
