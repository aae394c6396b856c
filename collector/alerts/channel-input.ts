import type { z } from 'zod';
import type { createAlertChannelRequestSchema, UpdateAlertChannelRequest } from '../../src/api/alerts';
import { invalid } from '../api-error';
import type { ChannelConfig, ChannelRow } from './store/alert-store';

type CreateChannel = z.infer<typeof createAlertChannelRequestSchema>;

/** A validated POST body as a row to store. */
export function channelToCreate(pcode: string, body: CreateChannel, by: string, at: number): Omit<ChannelRow, 'id'> {
  const config: ChannelConfig =
    body.kind === 'webhook'
      ? { url: body.url, secret: body.secret }
      : body.kind === 'slack'
        ? { url: body.url }
        : { to: body.to, smtp: body.smtp };
  return {
    pcode,
    name: body.name,
    kind: body.kind,
    enabled: body.enabled,
    config,
    createdAt: at,
    createdBy: by,
  };
}

const FIELDS_OF: Record<ChannelRow['kind'], ReadonlyArray<keyof UpdateAlertChannelRequest>> = {
  webhook: ['name', 'enabled', 'url', 'secret'],
  slack: ['name', 'enabled', 'url'],
  email: ['name', 'enabled', 'to', 'smtp'],
};

/**
 * A PATCH applied to a stored channel. Fields of another kind are a 400 naming the field; an
 * omitted secret keeps the stored one, and so does an SMTP override without a password when
 * the host and user stay the same.
 */
export function channelPatch(
  existing: ChannelRow,
  patch: UpdateAlertChannelRequest,
): Pick<ChannelRow, 'name' | 'enabled' | 'config'> {
  for (const key of Object.keys(patch) as Array<keyof UpdateAlertChannelRequest>)
    if (!FIELDS_OF[existing.kind].includes(key)) throw invalid(`A ${existing.kind} channel has no ${key}.`, key);
  const config: ChannelConfig = { ...existing.config };
  if (patch.url !== undefined) config.url = patch.url;
  if (patch.secret !== undefined) config.secret = patch.secret;
  if (patch.to !== undefined) config.to = patch.to;
  if (patch.smtp !== undefined) {
    const old = existing.config.smtp;
    const keep =
      patch.smtp &&
      old &&
      patch.smtp.password === undefined &&
      old.host === patch.smtp.host &&
      old.username === patch.smtp.username;
    config.smtp = patch.smtp && {
      ...patch.smtp,
      password: keep ? old.password : patch.smtp.password,
    };
  }
  return {
    name: patch.name ?? existing.name,
    enabled: patch.enabled ?? existing.enabled,
    config,
  };
}
