/**
 * Time-zone arithmetic with Intl only (no tz database in the bundle): the offset of a zone
 * at an instant, and conversions between epoch ms and wall-clock strings in that zone.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
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
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
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

/** A short, zone-aware time label formatter (cached per zone and precision). */
const labelFormatters = new Map<string, Intl.DateTimeFormat>();
export function timeLabel(ms: number, timeZone: string, withSeconds: boolean, withDate = false): string {
  const id = `${timeZone}|${withSeconds}|${withDate}`;
  let f = labelFormatters.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
      ...(withDate ? { month: 'short', day: 'numeric' } : {}),
    });
    labelFormatters.set(id, f);
  }
  return f.format(new Date(ms));
}

/** Full date-time in the zone, for tables and tooltips: `2025-11-25 14:03:07.120`. */
export function formatZoned(ms: number, timeZone: string, withMillis = true): string {
  const w = toZonedInput(ms, timeZone).replace('T', ' ');
  return withMillis ? `${w}.${pad(Math.floor(((ms % 1000) + 1000) % 1000), 3)}` : w;
}
