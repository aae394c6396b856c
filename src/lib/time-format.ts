/**
 * Every date and time the console shows, in one place. Times are shown in the project's time
 * zone (pass `project.timezone`) with Intl only (no tz database in the bundle), in one English
 * locale so screenshots and tests read the same on every machine. Numbers and durations are in
 * format.ts.
 */
const LOCALE = 'en-US';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type TimeInput = string | number | Date;

function toDate(value: TimeInput): Date {
  return value instanceof Date ? value : new Date(value);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A cached 24-hour formatter. An unknown zone must not break a page: display formats fall back
 * to the browser's zone. Wall-clock arithmetic (`strict`) must not guess, so it throws instead.
 */
function intlFormat(
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
  locale = LOCALE,
  strict = false,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}|${strict}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { hourCycle: 'h23', ...options };
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone });
    } catch (e) {
      if (strict) throw e;
      f = new Intl.DateTimeFormat(locale, opts);
    }
    formats.set(key, f);
  }
  return f;
}

/** "Jan 14, 2025, 13:05" in the given IANA time zone (the browser's when omitted). */
export function formatDateTime(value: TimeInput, timeZone?: string): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return intlFormat(timeZone, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** "Jan 14, 2025" in the given time zone. */
export function formatDate(value: TimeInput, timeZone?: string): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return intlFormat(timeZone, { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** "13:05:22" in the given time zone: for chart axes and transaction lists. */
export function formatTime(value: TimeInput, timeZone?: string): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  return intlFormat(timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; "never" for null. */
export function formatRelative(value: TimeInput | null | undefined, now: number = Date.now()): string {
  if (value === null || value === undefined) return 'never';
  const t = toDate(value).getTime();
  if (Number.isNaN(t)) return '—';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.round(h / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/**
 * A time formatter for chart axes and tooltips fit for a window of `spanMs`: seconds for
 * short windows, the date for windows longer than a day. Times are shown in the project's zone.
 */
export function timeFormatterFor(spanMs: number, timeZone?: string): (t: number) => string {
  const f = intlFormat(timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    ...(spanMs <= 2 * HOUR ? { second: '2-digit' } : spanMs <= DAY ? {} : { month: 'short', day: 'numeric' }),
  });
  return (t) => f.format(t);
}

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  return intlFormat(
    timeZone,
    { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    'en-US',
    true,
  );
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of wallClockFormat(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (e.g. +32,400,000 for Asia/Seoul). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (Math.floor(ms / 1000) * 1000);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Epoch ms → `YYYY-MM-DDTHH:mm:ss` wall clock in the zone (the value format of datetime-local inputs). */
export function toZonedInput(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** `YYYY-MM-DDTHH:mm[:ss]` wall clock in the zone → epoch ms; null when not a valid date-time. */
export function fromZonedInput(text: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  if (Number.isNaN(asUtc)) return null;
  // Two passes settle the offset across a DST change.
  let guess = asUtc - zoneOffsetMs(asUtc, timeZone);
  guess = asUtc - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** A short time label in the zone for axes: `14:03`, `14:03:07`, or with the date `25 Nov, 14:03`. */
export function timeLabel(ms: number, timeZone: string, withSeconds: boolean, withDate = false): string {
  return intlFormat(timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    ...(withDate ? { month: 'short', day: 'numeric' } : {}),
  }, 'en-GB').format(new Date(ms));
}

/** Full date-time in the zone, for tables and tooltips: `2025-11-25 14:03:07.120`. */
export function formatZoned(ms: number, timeZone: string, withMillis = true): string {
  const w = toZonedInput(ms, timeZone).replace('T', ' ');
  return withMillis ? `${w}.${pad(Math.floor(((ms % 1000) + 1000) % 1000), 3)}` : w;
}

/** The browser's IANA time zone, "UTC" when the runtime cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let cached: string[] | undefined;

/**
 * Every IANA time zone the runtime knows, sorted, always including UTC. Older
 * browsers without `Intl.supportedValuesOf` get a short list of common zones.
 */
export function listTimeZones(): string[] {
  if (cached) return cached;
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  let zones: string[];
  try {
    zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : FALLBACK_ZONES;
  } catch {
    zones = FALLBACK_ZONES;
  }
  const set = new Set(zones);
  set.add('UTC');
  set.add(browserTimeZone());
  cached = [...set].sort((a, b) => a.localeCompare(b));
  return cached;
}

const FALLBACK_ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Asia/Kolkata',
  'Asia/Shanghai',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Australia/Sydney',
];
