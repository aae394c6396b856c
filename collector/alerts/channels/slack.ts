import { postJson } from './http-post';
import { type Notification, summaryLine } from './notification';
import type { SendResult } from './send-result';

/** Slack mrkdwn treats <, > and & as markup (links, mentions): names from apps are escaped. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const EMOJI = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
} as const;

/**
 * A Slack-compatible incoming-webhook message: `text` (what Mattermost and Rocket.Chat show,
 * and Slack's notification text) plus `blocks` for Slack's richer layout.
 */
export function slackMessage(n: Notification): {
  text: string;
  blocks: unknown[];
} {
  const line = escape(summaryLine(n));
  const i = n.incident;
  const icon = !i ? ':bell:' : n.event === 'resolved' ? ':white_check_mark:' : EMOJI[i.severity];
  const text = `${icon} ${line} <${n.link}|Open in Tapscope>`;
  const fields = i
    ? [
        { type: 'mrkdwn', text: `*Project*\n${escape(n.project.name)}` },
        { type: 'mrkdwn', text: `*Scope*\n${escape(i.scopeLabel)}` },
        { type: 'mrkdwn', text: `*Severity*\n${i.severity}` },
        {
          type: 'mrkdwn',
          text: `*Started*\n${new Date(i.startedAt).toISOString()}`,
        },
      ]
    : [{ type: 'mrkdwn', text: `*Project*\n${escape(n.project.name)}` }];
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${icon} *${line}*` } },
      { type: 'section', fields },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open in Tapscope' },
            url: n.link,
          },
        ],
      },
    ],
  };
}

export function sendSlack(config: { url: string }, n: Notification, timeoutMs: number): Promise<SendResult> {
  return postJson(config.url, JSON.stringify(slackMessage(n)), {}, timeoutMs);
}
