import { z } from 'zod';
import { statKindSchema, type StatKind } from '../../api/stats';
import { timeRangeIdSchema, type TimeRangeId } from '../../components/charts/time-range';
import { defaultSort, findColumn } from './lib/columns';
import type { SortDir } from './lib/sort-rows';

/**
 * The statistics view state in the URL (`?kind=sql&range=1d&q=orders&sort=p95&dir=desc`),
 * parsed here only. Unknown values fall back to defaults so an old link still opens.
 */
const statsSearchSchema = z.object({
  kind: statKindSchema.catch('transactions'),
  range: timeRangeIdSchema.catch('1h'),
  q: z.string().max(500).catch(''),
  sort: z.string().max(40).optional().catch(undefined),
  dir: z.enum(['asc', 'desc']).catch('desc'),
});

export interface StatsSearch {
  kind: StatKind;
  range: TimeRangeId;
  q: string;
  /** A column id of the kind's table. */
  sort: string;
  dir: SortDir;
}

export function parseStatsSearch(params: URLSearchParams): StatsSearch {
  const raw = statsSearchSchema.parse({
    kind: params.get('kind') ?? undefined,
    range: params.get('range') ?? undefined,
    q: params.get('q') ?? '',
    sort: params.get('sort') ?? undefined,
    dir: params.get('dir') ?? undefined,
  });
  const sort = raw.sort && findColumn(raw.kind, raw.sort) ? raw.sort : defaultSort[raw.kind];
  return { kind: raw.kind, range: raw.range, q: raw.q, sort, dir: raw.dir };
}

export function statsSearchParams(s: StatsSearch): URLSearchParams {
  const out = new URLSearchParams();
  out.set('kind', s.kind);
  if (s.range !== '1h') out.set('range', s.range);
  if (s.q) out.set('q', s.q);
  if (s.sort !== defaultSort[s.kind]) out.set('sort', s.sort);
  if (s.dir !== 'desc') out.set('dir', s.dir);
  return out;
}
