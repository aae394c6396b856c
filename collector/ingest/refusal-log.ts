import type { IngestLog } from './config';

/**
 * Warn lines about refused connections and rejected batches, at most `perMinute` a minute
 * over the whole server; what is dropped is counted and reported once as "suppressed K",
 * so a flood of hostile connections cannot fill the disk.
 */
export class RefusalLog {
  private windowStart = 0;
  private written = 0;
  private suppressed = 0;

  constructor(
    private readonly log: IngestLog,
    private readonly perMinute = 60,
    private readonly now: () => number = Date.now,
  ) {}

  warn(fields: Record<string, unknown>, msg: string): void {
    const t = this.now();
    if (t - this.windowStart >= 60_000) {
      if (this.suppressed > 0) {
        this.log.warn({ suppressed: this.suppressed }, `ingest: suppressed ${this.suppressed} refusal log lines in the last minute`);
      }
      this.windowStart = t;
      this.written = 0;
      this.suppressed = 0;
    }
    if (this.written >= this.perMinute) {
      this.suppressed++;
      return;
    }
    this.written++;
    this.log.warn(fields, msg);
  }
}
