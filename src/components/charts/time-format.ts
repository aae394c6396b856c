const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string | undefined, precision: 'seconds' | 'minutes' | 'date'): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${precision}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(precision === 'seconds' ? { second: '2-digit' } : {}),
      ...(precision === 'date' ? { month: 'short', day: 'numeric' } : {}),
    };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      // An unknown zone must not break a chart: fall back to the browser's zone.
      f = new Intl.DateTimeFormat('en-US', options);
    }
    formats.set(key, f);
  }
  return f;
}

/**
 * A time formatter for chart axes and tooltips fit for a window of `spanMs`: seconds for
 * short windows, the date for windows longer than a day. Times are shown in the project's zone.
 */
export function timeFormatterFor(spanMs: number, timeZone?: string): (t: number) => string {
  const f = format(timeZone, spanMs <= 2 * HOUR ? 'seconds' : spanMs <= DAY ? 'minutes' : 'date');
  return (t) => f.format(t);
}
