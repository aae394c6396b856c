import type { RetentionPolicy, TelemetryMaintenance } from '../store/telemetry-store';
import type { AgentStore } from '../store/meta-store';
import type { IngestLog } from './config';

const HOUR = 3_600_000;

/**
 * Applies the retention policy now-ish (a minute after start, so boot stays quick) and then
 * every `intervalMs` (hourly). A run never overlaps the previous one; failures are logged.
 */
export function startRetentionJob(
  telemetry: TelemetryMaintenance,
  policy: RetentionPolicy,
  log: IngestLog,
  opts: {
    intervalMs?: number;
    firstRunMs?: number;
    now?: () => number;
    /** Also delete agents neither connected nor seen for `expiryMs`. */
    agents?: { meta: AgentStore; expiryMs: number };
  } = {},
): { stop(): void; runNow(): Promise<void> } {
  const now = opts.now ?? Date.now;
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    running ??= (async () => {
      try {
        const { deleted } = await telemetry.applyRetention(policy, now());
        if (deleted > 0) log.info({ deleted, ...policy }, 'retention: deleted old telemetry');
        if (opts.agents) {
          const expired = await opts.agents.meta.deleteInactiveAgents(now() - opts.agents.expiryMs);
          if (expired > 0) log.info({ expired }, 'retention: deleted inactive agents');
        }
      } catch (err) {
        if (!stopped) log.error({ err: String(err) }, 'retention: run failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const first = setTimeout(run, opts.firstRunMs ?? 60_000);
  const every = setInterval(run, opts.intervalMs ?? HOUR);
  first.unref();
  every.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
    },
    runNow: run,
  };
}
