import { z } from 'zod';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The history ranges offered by the dashboard and the statistics (up to 31 days, like WhaTap). */
export const timeRanges = {
  '10m': { label: 'Last 10 min', ms: 10 * MINUTE },
  '1h': { label: 'Last 1 h', ms: HOUR },
  '6h': { label: 'Last 6 h', ms: 6 * HOUR },
  '1d': { label: 'Last 1 d', ms: DAY },
  '7d': { label: 'Last 7 d', ms: 7 * DAY },
  '31d': { label: 'Last 31 d', ms: 31 * DAY },
} as const;

export const timeRangeIdSchema = z.enum(['10m', '1h', '6h', '1d', '7d', '31d']);
export type TimeRangeId = z.infer<typeof timeRangeIdSchema>;

export const timeRangeIds = timeRangeIdSchema.options;

/** The absolute window of a relative range, ending now. Computed at fetch time so live views move. */
export function resolveTimeRange(id: TimeRangeId, now: number = Date.now()): { from: number; to: number } {
  return { from: Math.max(0, now - timeRanges[id].ms), to: now };
}
