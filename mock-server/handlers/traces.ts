import { http, HttpResponse } from 'msw';
import { errorCodes } from '../../src/api/errors';
import { isTraceId, type Trace, type TraceNode, traceRoutePattern } from '../../src/api/traces';
import { MOCK_TRACE_ID, seedTraceNodes } from '../data/traces-seed';
import { apiError, db, requireUser } from '../db';

/**
 * GET /api/v1/traces/:traceId over the seeded trace, answered as the collector does: transactions
 * of projects the user is not a member of are hidden nodes, and 404 when none is visible.
 */
export const tracesHandlers = [
  http.get(traceRoutePattern, ({ request, params }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    const traceId = String(params.traceId);
    const names = new Map(
      db.projects
        .filter((p) => db.members.some((m) => m.pcode === p.pcode && m.userId === user.id))
        .map((p) => [p.pcode, p.name]),
    );
    const seeded = isTraceId(traceId) && traceId === MOCK_TRACE_ID ? seedTraceNodes() : [];
    if (!seeded.some((n) => names.has(n.pcode))) {
      return apiError(404, errorCodes.notFound, 'No such trace, or none of its transactions is in a project you are a member of.');
    }
    const nodes = seeded.map((n): TraceNode => {
      const projectName = names.get(n.pcode);
      if (projectName === undefined) return { hidden: true, id: n.id, parent: n.parent, depth: n.depth };
      const callerVisible = n.parent !== null && names.has(seeded[n.parent]!.pcode);
      return { ...n, projectName, parentCall: callerVisible ? n.parentCall : null };
    });
    const body: Trace = { traceId, nodes };
    return HttpResponse.json(body);
  }),
];
