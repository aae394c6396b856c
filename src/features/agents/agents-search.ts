import { z } from 'zod';

/** The agent list's view state in the URL (`?status=inactive&q=web`), parsed here only. */
const agentsSearchSchema = z.object({
  status: z.enum(['all', 'active', 'inactive']).catch('all'),
  q: z.string().max(200).catch(''),
});
export type AgentsSearch = z.infer<typeof agentsSearchSchema>;

export function parseAgentsSearch(params: URLSearchParams): AgentsSearch {
  return agentsSearchSchema.parse({ status: params.get('status') ?? undefined, q: params.get('q') ?? '' });
}

export function agentsSearchParams(s: AgentsSearch): URLSearchParams {
  const out = new URLSearchParams();
  if (s.status !== 'all') out.set('status', s.status);
  if (s.q) out.set('q', s.q);
  return out;
}
