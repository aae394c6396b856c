import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { apiPaths } from '../../../api/paths';
import { statTableSchema, type StatKind, type StatRow } from '../../../api/stats';
import { resolveTimeRange, type TimeRangeId } from '../../../components/charts/time-range';

export interface StatsParams {
  pcode: string;
  kind: StatKind;
  range: TimeRangeId;
}

export interface StatsResult {
  from: number;
  to: number;
  rows: StatRow[];
}

/** One statistics table for [from, to]. */
export async function getStats(pcode: string, kind: StatKind, from: number, to: number): Promise<StatRow[]> {
  const table = await apiRequest(statTableSchema, 'GET', apiPaths.stats(pcode, kind), { query: { from, to } });
  return table.rows;
}

export function getStatsQueryOptions({ pcode, kind, range }: StatsParams) {
  return queryOptions({
    queryKey: ['stats', { pcode, kind, range }] as const,
    // The window ends when the fetch runs; the answer carries it so the export names it.
    queryFn: async (): Promise<StatsResult> => {
      const { from, to } = resolveTimeRange(range);
      return { from, to, rows: await getStats(pcode, kind, from, to) };
    },
    // Statistics are read, sorted and exported: a table that reorders under the pointer is
    // worse than one a minute old. They refresh on focus and on "Refresh".
    staleTime: 60_000,
    // Keep the old table while another range loads, but never show one kind's rows under another's columns.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[1].kind === kind ? previous : undefined,
  });
}

export function useStats(params: StatsParams) {
  return useQuery(getStatsQueryOptions(params));
}
