import { http, HttpResponse } from 'msw';
import { counterQuerySchema, counterStep, type CounterSeries, toCounterSeries } from '../../src/api/counters';
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
    const { from, to, agent, points, step: asked } = parsed.data;
    if (to < from) return apiError(400, errorCodes.validation, 'to: must not be before from', 'to');
    const step = counterStep(from, to, { step: asked, points });
    // Like the collector: one agent is filtered while reading, several are kept from the project's.
    const one = agent?.length === 1 ? agent[0] : undefined;
    const perAgent = pcode === MOCK_PCODE ? seedCounters(from, to, step, one) : [];
    const body: CounterSeries = toCounterSeries(perAgent, step, agent && one === undefined ? new Set(agent) : undefined);
    return HttpResponse.json(body);
  }),
];
