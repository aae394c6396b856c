import type { CollectorConfig } from '../../config';
import type { MetaStore } from '../../store/meta-store';
import type { AlertStore, ChannelRow, DeliveryRow, IncidentRow } from '../store/alert-store';
import { incidentLink, type Notification } from './notification';
import type { SendResult } from './send-result';
import { sendToChannel } from './send';

export interface DispatchDeps {
  store: AlertStore;
  meta: Pick<MetaStore, 'getProject'>;
  config: CollectorConfig['alerts'];
  /** The console's address for links. */
  consoleUrl: string;
  /** This collector's name in claims. */
  holder: string;
  now(): number;
  send?: typeof sendToChannel;
}

/** How long a claimed notification is ours before another collector may take it over. */
export const CLAIM_MS = 60_000;

/** The delay before attempt `attempts + 1`: base, then 4× each time (5 s, 20 s, 80 s, 320 s …). */
export const retryDelayMs = (config: CollectorConfig['alerts'], attempts: number) => config.retryBaseMs * 4 ** (attempts - 1);

async function notificationFor(
  deps: DispatchDeps,
  pcode: string,
  event: Notification['event'],
  incident: IncidentRow | null,
): Promise<Notification> {
  const project = await deps.meta.getProject(pcode);
  return {
    event,
    sentAt: deps.now(),
    project: { pcode, name: project?.name ?? pcode },
    incident,
    link: incidentLink(deps.consoleUrl, pcode, incident),
  };
}

/** "Send a test notification": one attempt now, recorded in the channel's delivery log. */
export async function sendTest(deps: DispatchDeps, channel: ChannelRow): Promise<DeliveryRow> {
  const n = await notificationFor(deps, channel.pcode, 'test', null);
  const r = await (deps.send ?? sendToChannel)(channel, n, deps.config);
  return deps.store.recordDelivery({
    pcode: channel.pcode,
    channelId: channel.id,
    incidentId: null,
    event: 'test',
    status: r.ok ? 'sent' : 'failed',
    attempt: 1,
    statusCode: r.statusCode,
    latencyMs: r.latencyMs,
    error: r.error,
    at: deps.now(),
  });
}

/**
 * Sends the notifications that are due: claims them (so one collector sends each), sends in
 * parallel, logs every attempt, and schedules a retry with back-off until `maxAttempts`.
 * Returns how many attempts were made. Runs on its own timer: a slow receiver never holds
 * up evaluation or ingest.
 */
export async function dispatchDue(deps: DispatchDeps, limit = 50): Promise<number> {
  const { store, config } = deps;
  const now = deps.now();
  const due = await store.claimDue(deps.holder, now, now + CLAIM_MS, limit);
  await Promise.all(
    due.map(async (item) => {
      const [incident, channel] = await Promise.all([
        store.getIncident(item.pcode, item.incidentId),
        store.getChannel(item.pcode, item.channelId),
      ]);
      if (!incident || !channel || !channel.enabled) {
        await store.finishAttempt(item.id, true, now);
        return;
      }
      const attempt = item.attempts + 1;
      let r: SendResult;
      try {
        r = await (deps.send ?? sendToChannel)(channel, await notificationFor(deps, item.pcode, item.event, incident), config);
      } catch (err) {
        r = {
          ok: false,
          statusCode: null,
          latencyMs: 0,
          error: err instanceof Error ? err.message : String(err),
        };
      }
      const giveUp = !r.ok && attempt >= config.maxAttempts;
      await store.recordDelivery({
        pcode: item.pcode,
        channelId: item.channelId,
        incidentId: item.incidentId,
        event: item.event,
        status: r.ok ? 'sent' : giveUp ? 'failed' : 'retrying',
        attempt,
        statusCode: r.statusCode,
        latencyMs: r.latencyMs,
        error: r.error,
        at: deps.now(),
      });
      await store.finishAttempt(item.id, r.ok || giveUp, deps.now() + (r.ok || giveUp ? 0 : retryDelayMs(config, attempt)));
    }),
  );
  return due.length;
}
