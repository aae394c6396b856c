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
