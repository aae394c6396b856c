import { http, HttpResponse } from 'msw';
import { errorCodes } from '../../src/api/errors';
import { routePatterns } from '../../src/api/paths';
import { statKindSchema, statQuerySchema, type StatTable } from '../../src/api/stats';
import { MOCK_PCODE } from '../data/agents';
import { seedStats } from '../data/stats-seed';
import { apiError, requireMember, validationError } from '../db';

const MAX_WINDOW_MS = 31 * 86_400_000 + 60_000;

const invalid = (message: string, field: string) => apiError(400, errorCodes.validation, message, field);

export const statsHandlers = [
  http.get(routePatterns.stats, ({ request, params }) => {
    const pcode = String(params.pcode);
    const access = requireMember(request, pcode);
    if (access instanceof Response) return access;
    const kind = statKindSchema.safeParse(params.kind);
    if (!kind.success) return invalid('Unknown statistics kind: use transactions, sql, httpc or errors.', 'kind');
    const parsed = statQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) return validationError(parsed.error);
    const { from, to, agent } = parsed.data;
    if (to < from || to - from > MAX_WINDOW_MS) {
      return invalid('The window must end after it starts and span at most 31 days.', 'from');
    }
    const body: StatTable = { kind: kind.data, rows: pcode === MOCK_PCODE ? seedStats(kind.data, from, to, agent) : [] };
    return HttpResponse.json(body);
  }),
];
