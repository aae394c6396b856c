import { createHmac } from 'node:crypto';
import { postJson } from './http-post';
import { type Notification, webhookBody } from './notification';
import type { SendResult } from './send-result';

export const SIGNATURE_HEADER = 'x-tapscope-signature';
export const TIMESTAMP_HEADER = 'x-tapscope-timestamp';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the channel's secret>`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * The webhook channel: the JSON body of docs/alerts.md, signed with the channel's secret, with
 * the send time (Unix seconds) in a header so receivers can refuse old replays.
 */
export function sendWebhook(config: { url: string; secret: string }, n: Notification, timeoutMs: number): Promise<SendResult> {
  const body = JSON.stringify(webhookBody(n));
  return postJson(
    config.url,
    body,
    {
      [SIGNATURE_HEADER]: signBody(config.secret, body),
      [TIMESTAMP_HEADER]: String(Math.floor(n.sentAt / 1000)),
      'x-tapscope-event': n.event,
    },
    timeoutMs,
  );
}
