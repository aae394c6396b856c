import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Agent } from '../../src/api/agents';
import { counterQuerySchema, counterStep, toCounterSeries } from '../../src/api/counters';
import { errorCodes } from '../../src/api/errors';
import { HITMAP_CONTENT_TYPE, hitmapQuerySchema } from '../../src/api/hitmap';
import { routePatterns } from '../../src/api/paths';
import { statKindSchema, statQuerySchema } from '../../src/api/stats';
import { transactionQuerySchema } from '../../src/api/transactions';
import type { AgentRow, AgentStore } from '../store/meta-store';
import type { TelemetryReader } from '../store/telemetry-store';
import { agentDrops } from './agent-drops';
import { sendError } from './errors';

export interface TelemetryRouteDeps {
  meta: AgentStore;
  telemetry: TelemetryReader;
  /** Clock (tests pin it). */
  now?: () => number;
}

/** Three missed heartbeats (10 s each) make an agent inactive. */
export const ACTIVE_WINDOW_MS = 30_000;
/** Statistics cover at most 31 days per request. */
const MAX_STATS_RANGE_MS = 31 * 86_400_000 + 60_000;

type Params = { pcode: string };

/**
 * Parses a query with the contract's schema; on failure answers 400 naming the field and
 * returns null. Also refuses a range whose end is before its start.
 */
function parseQuery<S extends z.ZodTypeAny>(schema: S, query: unknown, reply: FastifyReply): z.infer<S> | null {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    void sendError(reply, 400, errorCodes.validation, `${field}: ${issue.message}`, field);
    return null;
  }
  const data = parsed.data as { from?: number; to?: number };
  if (data.from !== undefined && data.to !== undefined && data.to < data.from) {
    void sendError(reply, 400, errorCodes.validation, 'to: must not be before from', 'to');
    return null;
  }
  return parsed.data as z.infer<S>;
}

export function agentStatus(a: AgentRow, now: number): { status: 'active' | 'inactive'; since: number } {
  const active = a.connectedAt !== null && now - a.lastSeen <= ACTIVE_WINDOW_MS;
  return active ? { status: 'active', since: a.connectedAt! } : { status: 'inactive', since: a.lastSeen };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The telemetry read API: agents, hitmap (binary), transactions, profile, counters, stats.
 * Registered inside the API scope, whose hook has already checked project membership.
 */
export async function registerTelemetryRoutes(app: FastifyInstance, deps: TelemetryRouteDeps): Promise<void> {
  const { meta, telemetry } = deps;
  const now = deps.now ?? Date.now;

  app.get<{ Params: Params }>(routePatterns.agents, async (request) => {
    const { pcode } = request.params;
    const t = now();
    const [rows, latest, drops] = await Promise.all([
      meta.listAgents(pcode),
      telemetry.latestCounters(pcode),
      agentDrops(telemetry, pcode, t),
    ]);
    const agents: Agent[] = rows
      .sort((a, b) => a.objectName.localeCompare(b.objectName))
      .map((a) => {
        const { status, since } = agentStatus(a, t);
        const counter = status === 'active' ? latest.get(a.id) : undefined;
        return {
          id: a.id,
          objectName: a.objectName,
          appName: a.appName,
          processName: a.processName,
          hostname: a.hostname,
          ip: a.ip,
          pid: a.pid,
          appPids: a.appPids ?? [],
          agentVersion: a.agentVersion,
          pythonVersion: a.pythonVersion,
          firstSeen: iso(a.firstSeen),
          lastSeen: iso(a.lastSeen),
          status,
          statusSince: iso(since),
          tps: counter ? counter.tps : null,
          respTime: counter ? counter.respTime : null,
          dropped: drops.get(a.id) ?? { hour: 0, day: 0 },
        };
      });
    return { agents };
  });

  app.get<{ Params: Params }>(routePatterns.hitmap, async (request, reply) => {
    const q = parseQuery(hitmapQuerySchema, request.query, reply);
    if (!q) return reply;
    const bytes = await telemetry.hitmapEncoded(request.params.pcode, q);
    return reply.type(HITMAP_CONTENT_TYPE).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get<{ Params: Params }>(routePatterns.transactions, async (request, reply) => {
    const q = parseQuery(transactionQuerySchema, request.query, reply);
    if (!q) return reply;
    return telemetry.listTransactions(request.params.pcode, {
      from: q.from,
      to: q.to,
      minElapsed: q.minElapsed,
      maxElapsed: q.maxElapsed,
      error: q.error === undefined ? undefined : q.error === 'true',
      agentId: q.agent,
      url: q.url,
      limit: q.limit,
      sort: q.sort,
    });
  });

  app.get<{ Params: Params & { txid: string } }>(routePatterns.transaction, async (request, reply) => {
    const { pcode, txid } = request.params;
    const profile = txid.length <= 64 ? await telemetry.getProfile(pcode, txid) : null;
    if (!profile) {
      return sendError(reply, 404, errorCodes.notFound, 'No such transaction: it may be older than the retention period.');
    }
    return profile;
  });

  app.get<{ Params: Params }>(routePatterns.counters, async (request, reply) => {
    const q = parseQuery(counterQuerySchema, request.query, reply);
    if (!q) return reply;
    const step = counterStep(q.from, q.to, q);
    // One agent is filtered by the store; several are read with the project and kept here.
    const one = q.agent?.length === 1 ? q.agent[0] : undefined;
    const { points } = await telemetry.counters(request.params.pcode, q.from, q.to, one, step);
    return toCounterSeries(points, step, q.agent && one === undefined ? new Set(q.agent) : undefined);
  });

  app.get<{ Params: Params & { kind: string } }>(routePatterns.stats, async (request, reply) => {
    const kind = statKindSchema.safeParse(request.params.kind);
    if (!kind.success) {
      return sendError(reply, 400, errorCodes.validation, 'kind: must be one of transactions, sql, httpc, errors', 'kind');
    }
    const q = parseQuery(statQuerySchema, request.query, reply);
    if (!q) return reply;
    if (q.to - q.from > MAX_STATS_RANGE_MS) {
      return sendError(reply, 400, errorCodes.validation, 'from: statistics cover at most 31 days at a time', 'from');
    }
    const rows = await telemetry.stats(request.params.pcode, kind.data, q.from, q.to, q.agent);
    return { kind: kind.data, rows };
  });
}
