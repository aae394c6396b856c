import { z } from 'zod';
import { timeRangeIdSchema, type TimeRangeId } from '../../components/charts/time-range';

/**
 * The dashboard's view state in the URL (`?range=1h&agents=3,7`), parsed here and nowhere else.
 * Anything malformed falls back to the default rather than breaking a shared link.
 */
const dashboardSearchSchema = z.object({
  range: timeRangeIdSchema.catch('10m'),
  agents: z
    .string()
    .optional()
    .transform((s) =>
      [...new Set((s ?? '').split(',').map((x) => Number(x.trim())))]
        .filter((n) => Number.isInteger(n) && n > 0)
        .sort((a, b) => a - b),
    )
    .catch([]),
});

export interface DashboardSearch {
  range: TimeRangeId;
  /** Selected agent ids, ascending; empty means the whole project. */
  agents: number[];
}

export function parseDashboardSearch(params: URLSearchParams): DashboardSearch {
  return dashboardSearchSchema.parse({
    range: params.get('range') ?? undefined,
    agents: params.get('agents') ?? undefined,
  });
}

/** The search params for `s`, leaving out defaults so plain links stay plain. */
export function dashboardSearchParams(s: DashboardSearch): URLSearchParams {
  const out = new URLSearchParams();
  if (s.range !== '10m') out.set('range', s.range);
  if (s.agents.length > 0) out.set('agents', s.agents.join(','));
  return out;
}
