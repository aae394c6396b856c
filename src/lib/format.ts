/**
 * Formatting helpers shared by every feature. Dates are shown in the project's time
 * zone (pass `project.timezone`); numbers use one English locale so screenshots and
 * tests read the same on every machine.
 */
const LOCALE = 'en-US';

type TimeInput = string | number | Date;

function toDate(value: TimeInput): Date {
  return value instanceof Date ? value : new Date(value);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${JSON.stringify(options)}`;
  let fmt = dateTimeFormats.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone });
    } catch {
      // An unknown zone must not break a page: fall back to the browser's zone.
      fmt = new Intl.DateTimeFormat(LOCALE, options);
    }
    dateTimeFormats.set(key, fmt);
  }
  return fmt;
}

/** "Jan 14, 2025, 13:05" in the given IANA time zone (the browser's when omitted). */
export function formatDateTime(value: TimeInput, timeZone?: string): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return dateTimeFormat(timeZone, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

/** "Jan 14, 2025" in the given time zone. */
export function formatDate(value: TimeInput, timeZone?: string): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return dateTimeFormat(timeZone, { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** "13:05:22" in the given time zone: for chart axes and transaction lists. */
export function formatTime(value: TimeInput, timeZone?: string): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return dateTimeFormat(timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; "never" for null. */
export function formatRelative(value: TimeInput | null | undefined, now: number = Date.now()): string {
  if (value === null || value === undefined) return 'never';
  const t = toDate(value).getTime();
  if (Number.isNaN(t)) return '—';
  const s = Math.round((now - t) / 1000);
  if (s < 0) return 'just now';
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.round(h / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

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
