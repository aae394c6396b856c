/**
 * Number formatting shared by every feature: counts, durations, bytes, percentages, in one
 * English locale so screenshots and tests read the same on every machine. Dates and times
 * are in time-format.ts.
 */
const LOCALE = 'en-US';

const numberFormats = new Map<number, Intl.NumberFormat>();

/** "12,345" or "12.3" with at most `maxFractionDigits` decimals. */
export function formatNumber(value: number | null | undefined, maxFractionDigits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let fmt = numberFormats.get(maxFractionDigits);
  if (!fmt) {
    fmt = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: maxFractionDigits });
    numberFormats.set(maxFractionDigits, fmt);
  }
  return fmt.format(value);
}

/** "1 agent", "4 agents", "1,200 transactions": a count with its noun in the right number. */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : plural}`;
}

/** A duration given in ms: "84 ms", "1.24 s", "2 min 3 s", "1 h 5 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${formatNumber(ms, ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${formatNumber(ms / 1000, 2)} s`;
  const totalS = Math.round(ms / 1000);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
  const totalMin = Math.round(totalS / 60);
  return `${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
}

/**
 * The average response time of an interval. An interval that served no transaction has no
 * response time: "—", not "0 ms" (the one rule of the dashboard and the agents page).
 * `transactions` is any measure of what was served in it (a count, or TPS).
 */
export function formatResponseTime(avgMs: number | null | undefined, transactions: number | null | undefined): string {
  if (!transactions || !(transactions > 0)) return '—';
  return formatDuration(avgMs);
}

/** Bytes: "512 B", "1.5 KB", "230 MB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v, i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A ratio 0..1 as "42.5%"; pass `isRatio=false` for values already in percent. */
export function formatPercent(value: number | null | undefined, isRatio = true, maxFractionDigits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${formatNumber(isRatio ? value * 100 : value, maxFractionDigits)}%`;
}
