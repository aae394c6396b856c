import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../api/client';
import { counterSeriesSchema } from '../../../api/counters';
import { apiPaths } from '../../../api/paths';
import { dropRanges, dropsOf, type DropRange } from '../../../lib/drop-ranges';

/** The window is rounded to this, so a live view that slides every frame asks at most this often. */
const ROUND_MS = 15_000;

export interface HitmapDropsParams {
  pcode: string;
  from: number;
  to: number;
  agentId?: number;
}

/** The ranges in which agents dropped transactions, from the counters of the hitmap's window. */
export async function getHitmapDrops({ pcode, from, to, agentId }: HitmapDropsParams, signal?: AbortSignal): Promise<DropRange[]> {
  const series = await apiRequest(counterSeriesSchema, 'GET', apiPaths.counters(pcode), {
    query: { from, to, agent: agentId },
    signal,
  });
  return dropRanges(dropsOf(series), series.step);
}

export function getHitmapDropsQueryOptions(params: HitmapDropsParams) {
  const from = Math.floor(params.from / ROUND_MS) * ROUND_MS;
  const to = Math.ceil(params.to / ROUND_MS) * ROUND_MS;
  const { pcode, agentId } = params;
  return queryOptions({
    queryKey: ['hitmap-drops', { pcode, from, to, agentId }] as const,
    queryFn: ({ signal }) => getHitmapDrops({ pcode, from, to, agentId }, signal),
    enabled: to > from,
    staleTime: ROUND_MS,
    placeholderData: keepPreviousData,
  });
}

export function useHitmapDrops(params: HitmapDropsParams) {
  return useQuery(getHitmapDropsQueryOptions(params));
}
