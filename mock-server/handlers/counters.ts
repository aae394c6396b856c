import { http, HttpResponse } from 'msw';
import { counterQuerySchema, type CounterSeries } from '../../src/api/counters';
import { errorCodes } from '../../src/api/errors';
import { routePatterns } from '../../src/api/paths';
import { MOCK_PCODE } from '../data/agents';
import { seedCounters } from '../data/counters-seed';
import { apiError, requireMember, validationError } from '../db';

export const countersHandlers = [
  http.get(routePatterns.counters, ({ request, params }) => {
    const pcode = String(params.pcode);
    const access = requireMember(request, pcode);
    if (access instanceof Response) return access;
    const parsed = counterQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) return validationError(parsed.error);
    const { from, to, agent } = parsed.data;
    if (to < from) return apiError(400, errorCodes.validation, 'to: must not be before from', 'to');
    const body: CounterSeries = pcode === MOCK_PCODE ? seedCounters(from, to, agent) : { step: 5_000, points: [] };
    return HttpResponse.json(body);
  }),
];
