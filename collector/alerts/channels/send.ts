import type { CollectorConfig } from '../../config';
import type { ChannelRow } from '../store/alert-store';
import { sendEmail } from './email';
import type { Notification } from './notification';
import type { SendResult } from './send-result';
import type { SmtpSettings } from './smtp-client';
import { sendSlack } from './slack';
import { sendWebhook } from './webhook';

/** The SMTP relay of an email channel: its own settings, else the config file's. */
export function smtpFor(channel: ChannelRow, config: CollectorConfig['alerts']): SmtpSettings | null {
  const own = channel.config.smtp;
  if (own) return { ...own, verifyCertificate: true };
  const c = config.smtp;
  return c ? { ...c } : null;
}

/** One attempt to deliver a notification to a channel. */
export function sendToChannel(channel: ChannelRow, n: Notification, config: CollectorConfig['alerts']): Promise<SendResult> {
  const timeout = config.sendTimeoutMs;
  const c = channel.config;
  switch (channel.kind) {
    case 'webhook':
      return sendWebhook({ url: c.url ?? '', secret: c.secret ?? '' }, n, timeout);
    case 'slack':
      return sendSlack({ url: c.url ?? '' }, n, timeout);
    case 'email':
      return sendEmail(c.to ?? [], smtpFor(channel, config), n, timeout);
  }
}
