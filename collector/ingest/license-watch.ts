import type { LicenseStore, ProjectStore } from '../store/meta-store';
import { recheckLicense } from './auth';
import type { IngestLog } from './config';
import type { IngestConnection } from './connection';

/**
 * Re-checks the license of every live session every `intervalMs`, one look-up per distinct
 * license, and closes the sessions of a revoked key or a deleted project with the refusal.
 * Polling the meta store (not an in-process event) is what makes a revocation made on one
 * collector reach the sessions of every collector sharing the PostgreSQL database.
 */
export function startLicenseWatch(
  meta: LicenseStore & ProjectStore,
  connections: () => Iterable<IngestConnection>,
  intervalMs: number,
  log: IngestLog,
): { stop(): void; runNow(): Promise<void> } {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= (async () => {
      const byLicense = new Map<string, { lookup: string; pcode: string; conns: IngestConnection[] }>();
      for (const c of connections()) {
        const l = c.license;
        if (!l) continue;
        const key = `${l.pcode}/${l.lookup}`;
        const entry = byLicense.get(key) ?? { ...l, conns: [] };
        entry.conns.push(c);
        byLicense.set(key, entry);
      }
      for (const { lookup, pcode, conns } of byLicense.values()) {
        try {
          const check = await recheckLicense(meta, lookup, pcode);
          if (!check.ok) for (const c of conns) c.revoke(check.code, check.message);
        } catch (err) {
          // A meta store outage must not cut live agents; the next run checks again.
          log.warn({ err: String(err) }, 'ingest: could not re-check a license');
        }
      }
    })().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow: run };
}
