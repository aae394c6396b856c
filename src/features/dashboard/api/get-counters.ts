import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { counterSeriesSchema } from '../../../api/counters';
import { apiPaths } from '../../../api/paths';
import { resolveTimeRange, timeRanges, type TimeRangeId } from '../../../components/charts/time-range';
import { toCounterView, type CounterView } from '../lib/aggregate-counters';

/** How far back the "now" figures look: a few 5-second samples, so one late batch does not blank them. */
export const LIVE_WINDOW_MS = 30_000;

export interface CountersParams {
  pcode: string;
  /** A history range, or `live` for the last few samples behind the "now" figures. */
  window: TimeRangeId | 'live';
  /** Selected agent ids; empty means the whole project. */
  agents: readonly number[];
  /** At most this many buckets (a chart's width in pixels); the collector's default when absent; null: not known yet (no fetch). */
  points?: number | null;
}

/** Fetches counters for [from, to] of the selected agents (all when none), at most `points` buckets. */
export async function getCounters(
  pcode: string,
  from: number,
  to: number,
  agents: readonly number[],
  points?: number,
): Promise<CounterView> {
  const series = await apiRequest(counterSeriesSchema, 'GET', apiPaths.counters(pcode), {
    query: { from, to, agent: agents.length > 0 ? agents.join(',') : undefined, points },
  });
  return toCounterView(series);
}

export interface WindowedSeries extends CounterView {
  from: number;
  to: number;
}

export function getCountersQueryOptions(params: CountersParams) {
  const { pcode, window, agents, points } = params;
  const span = window === 'live' ? LIVE_WINDOW_MS : timeRanges[window].ms;
  return queryOptions({
    queryKey: ['counters', { pcode, window, agents, points }] as const,
    // The window is resolved when the fetch runs, so every refetch slides it to "now".
    queryFn: async (): Promise<WindowedSeries> => {
      const to = Date.now();
      const from = window === 'live' ? to - LIVE_WINDOW_MS : resolveTimeRange(window, to).from;
      return { from, to, ...(await getCounters(pcode, from, to, agents, points ?? undefined)) };
    },
    // Live views refresh every 5 s; day-long roll-ups change slowly, so they refresh less often.
    refetchInterval: span <= 6 * 3_600_000 ? 5_000 : 30_000,
    placeholderData: keepPreviousData,
    enabled: points !== null,
  });
}

export function useCounters(params: CountersParams) {
  return useQuery(getCountersQueryOptions(params));
}
