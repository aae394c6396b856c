import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  alertDeliveryQuerySchema,
  alertPreviewRequestSchema,
  createAlertChannelRequestSchema,
  createAlertRuleRequestSchema,
  createSilenceRequestSchema,
  incidentQuerySchema,
  updateAlertChannelRequestSchema,
  updateAlertRuleRequestSchema,
} from '../../../src/api/alerts';
import { routePatterns } from '../../../src/api/paths';
import { auditAlert, type AlertAuditAction } from '../../alerts/alert-audit';
import type { AlertService } from '../../alerts/alert-service';
import { channelPatch, channelToCreate } from '../../alerts/channel-input';
import { sendTest } from '../../alerts/channels/dispatcher';
import { previewRule } from '../../alerts/preview';
import { resetRule } from '../../alerts/reset-rule';
import { toApiChannel, toApiDelivery, toApiIncident, toApiIncidentDetail, toApiRule, toApiSilence } from '../../alerts/serialize';
import type { AlertStore, RuleSettings } from '../../alerts/store/alert-store';
import type { ApiContext } from '../context';
import { invalid, notFound } from '../../api-error';
import { requireRole } from '../membership';
import { requireUser } from '../session';

/** `:ruleId`, `:channelId`, `:id` as a positive integer, else the 404 of a missing one. */
function idParam(request: FastifyRequest, name: string, missing: () => Error): number {
  const id = Number((request.params as Record<string, string>)[name]);
  if (!Number.isSafeInteger(id) || id <= 0) throw missing();
  return id;
}

const SILENCE_MAX_MS = 90 * 86_400_000;
const SILENCE_HISTORY_MS = 7 * 86_400_000;

/**
 * The alert API (src/api/alerts.ts): rules with their preview, incidents, channels with their
 * delivery log, silences, and the per-project summary. The API hook has already checked
 * membership (viewers may only read); changes need owner or member and are audited.
 */
export function registerAlertRoutes(
  api: FastifyInstance,
  ctx: ApiContext,
  alerts: { store: AlertStore; service: AlertService },
): void {
  const { store } = alerts;
  const audit = (request: FastifyRequest, action: AlertAuditAction, target: string, detail = '') =>
    auditAlert(ctx.meta, request, action, target, detail, ctx.now());
  const ruleMissing = () => notFound('No such alert rule in this project.');
  const channelMissing = () => notFound('No such channel in this project.');

  /** Agents and channels a rule names must exist in the project. */
  const checkReferences = async (pcode: string, rule: RuleSettings) => {
    if (rule.scope.type === 'agents') {
      const known = new Set((await ctx.meta.listAgents(pcode)).map((a) => a.id));
      const unknown = rule.scope.agentIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw invalid(`Unknown agent ${unknown.join(', ')} in this project.`, 'scope.agentIds');
    }
    if (rule.channelIds.length > 0) {
      const known = new Set((await store.listChannels(pcode)).map((c) => c.id));
      const unknown = rule.channelIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw invalid(`Unknown channel ${unknown.join(', ')} in this project.`, 'channelIds');
    }
  };

  const answerRule = async (id: number, pcode: string) => {
    const rule = await store.getRule(pcode, id);
    if (!rule) throw ruleMissing();
    return {
      rule: toApiRule(rule, await store.listStates([rule.id]), await store.lastCycle()),
    };
  };

  // ——— rules ———

  api.get(routePatterns.alertRules, async (request) => {
    const rules = await store.listRules(request.tapscope.project.pcode);
    const states = await store.listStates(rules.map((r) => r.id));
    const last = await store.lastCycle();
    return { rules: rules.map((r) => toApiRule(r, states, last)) };
  });

  api.post(routePatterns.alertRules, async (request, reply) => {
    requireRole(request, 'member', 'create alert rules');
    const { project, user } = request.tapscope;
    const settings = createAlertRuleRequestSchema.parse(request.body ?? {});
    await checkReferences(project.pcode, settings);
    const rule = await store.createRule(project.pcode, settings, user.username, ctx.now());
    await audit(request, 'alert_rule_created', `project:${project.pcode}`, `rule ${rule.id} "${rule.name}"`);
    return reply.code(201).send({ rule: toApiRule(rule, [], null) });
  });

  api.post(routePatterns.alertPreview, async (request) => {
    const { project } = request.tapscope;
    const body = alertPreviewRequestSchema.parse(request.body ?? {});
    const agents = await ctx.meta.listAgents(project.pcode);
    await checkReferences(project.pcode, { ...body.rule, channelIds: [] });
    return previewRule(body.rule, body.range, {
      pcode: project.pcode,
      telemetry: ctx.telemetry,
      agents,
      now: ctx.now(),
    });
  });

  api.get(routePatterns.alertRule, async (request) =>
    answerRule(idParam(request, 'ruleId', ruleMissing), request.tapscope.project.pcode),
  );

  api.patch(routePatterns.alertRule, async (request) => {
    requireRole(request, 'member', 'change alert rules');
    const { project } = request.tapscope;
    const id = idParam(request, 'ruleId', ruleMissing);
    const patch = updateAlertRuleRequestSchema.parse(request.body ?? {});
    const existing = await store.getRule(project.pcode, id);
    if (!existing) throw ruleMissing();
    const { id: _id, pcode: _p, createdAt: _c, createdBy: _b, updatedAt: _u, ...current } = existing;
    const merged = createAlertRuleRequestSchema.parse({ ...current, ...patch });
    await checkReferences(project.pcode, merged);
    const updated = await store.updateRule(project.pcode, id, merged, ctx.now());
    if (!updated) throw ruleMissing();
    // A changed condition starts over: open incidents of the old condition resolve.
    const conditionChanged = (
      ['kind', 'stat', 'minSeconds', 'scope', 'threshold', 'windowSec', 'forSec', 'enabled'] as const
    ).some((k) => JSON.stringify(existing[k]) !== JSON.stringify(merged[k]));
    if (conditionChanged) await resetRule(store, updated, ctx.now());
    await audit(
      request,
      'alert_rule_updated',
      `project:${project.pcode}`,
      `rule ${id} "${updated.name}": ${Object.keys(patch).join(', ')}`,
    );
    return answerRule(id, project.pcode);
  });

  api.delete(routePatterns.alertRule, async (request, reply) => {
    requireRole(request, 'member', 'delete alert rules');
    const { project } = request.tapscope;
    const id = idParam(request, 'ruleId', ruleMissing);
    const rule = await store.getRule(project.pcode, id);
    if (!rule) throw ruleMissing();
    await resetRule(store, rule, ctx.now());
    await store.deleteRule(project.pcode, id);
    await audit(request, 'alert_rule_deleted', `project:${project.pcode}`, `rule ${id} "${rule.name}"`);
    return reply.code(204).send();
  });

  // ——— incidents ———

  const incidentMissing = () => notFound('No such incident in this project.');

  api.get(routePatterns.incidents, async (request) => {
    const q = incidentQuerySchema.parse(request.query ?? {});
    const rows = await store.listIncidents(request.tapscope.project.pcode, q);
    return { incidents: rows.map(toApiIncident) };
  });

  const incidentDetail = async (pcode: string, id: number) => {
    const incident = await store.getIncident(pcode, id);
    if (!incident) throw incidentMissing();
    const deliveries = await store.listDeliveries(pcode, { incidentId: id }, 500);
    return { incident: toApiIncidentDetail(incident, deliveries) };
  };

  api.get(routePatterns.incident, async (request) =>
    incidentDetail(request.tapscope.project.pcode, idParam(request, 'id', incidentMissing)),
  );

  api.post(routePatterns.incidentAck, async (request) => {
    requireRole(request, 'member', 'acknowledge incidents');
    const { project, user } = request.tapscope;
    const id = idParam(request, 'id', incidentMissing);
    const row = await store.acknowledgeIncident(project.pcode, id, user.username, ctx.now());
    if (!row) throw incidentMissing();
    await audit(request, 'incident_acknowledged', `project:${project.pcode}`, `incident ${id} "${row.ruleName}"`);
    return incidentDetail(project.pcode, id);
  });

  // ——— channels ———

  api.get(routePatterns.alertChannels, async (request) => ({
    channels: (await store.listChannels(request.tapscope.project.pcode)).map(toApiChannel),
  }));

  api.post(routePatterns.alertChannels, async (request, reply) => {
    requireRole(request, 'member', 'add channels');
    const { project, user } = request.tapscope;
    const body = createAlertChannelRequestSchema.parse(request.body ?? {});
    const channel = await store.createChannel(channelToCreate(project.pcode, body, user.username, ctx.now()));
    await audit(
      request,
      'alert_channel_created',
      `project:${project.pcode}`,
      `${channel.kind} channel ${channel.id} "${channel.name}"`,
    );
    return reply.code(201).send({ channel: toApiChannel(channel) });
  });

  api.patch(routePatterns.alertChannel, async (request) => {
    requireRole(request, 'member', 'change channels');
    const { project } = request.tapscope;
    const id = idParam(request, 'channelId', channelMissing);
    const patch = updateAlertChannelRequestSchema.parse(request.body ?? {});
    const existing = await store.getChannel(project.pcode, id);
    if (!existing) throw channelMissing();
    const updated = await store.updateChannel(project.pcode, id, channelPatch(existing, patch));
    if (!updated) throw channelMissing();
    await audit(
      request,
      'alert_channel_updated',
      `project:${project.pcode}`,
      `channel ${id} "${updated.name}": ${Object.keys(patch).join(', ')}`,
    );
    return { channel: toApiChannel(updated) };
  });

  api.delete(routePatterns.alertChannel, async (request, reply) => {
    requireRole(request, 'member', 'delete channels');
    const { project } = request.tapscope;
    const id = idParam(request, 'channelId', channelMissing);
    const existing = await store.getChannel(project.pcode, id);
    if (!existing || !(await store.deleteChannel(project.pcode, id))) throw channelMissing();
    // Rules stop naming it (so editing them later is not refused for a channel nobody chose).
    for (const rule of await store.listRules(project.pcode)) {
      if (!rule.channelIds.includes(id)) continue;
      const { id: ruleId, pcode: _p, createdAt: _c, createdBy: _b, updatedAt: _u, ...settings } = rule;
      await store.updateRule(project.pcode, ruleId, { ...settings, channelIds: rule.channelIds.filter((c) => c !== id) }, ctx.now());
    }
    await audit(request, 'alert_channel_deleted', `project:${project.pcode}`, `channel ${id} "${existing.name}"`);
    return reply.code(204).send();
  });

  api.post(routePatterns.alertChannelTest, async (request) => {
    requireRole(request, 'member', 'send test notifications');
    const { project } = request.tapscope;
    const channel = await store.getChannel(project.pcode, idParam(request, 'channelId', channelMissing));
    if (!channel) throw channelMissing();
    return {
      delivery: toApiDelivery(await sendTest(alerts.service.dispatch, channel)),
    };
  });

  api.get(routePatterns.alertChannelDeliveries, async (request) => {
    const { project } = request.tapscope;
    const id = idParam(request, 'channelId', channelMissing);
    if (!(await store.getChannel(project.pcode, id))) throw channelMissing();
    const { limit } = alertDeliveryQuerySchema.parse(request.query ?? {});
    return {
      deliveries: (await store.listDeliveries(project.pcode, { channelId: id }, limit)).map(toApiDelivery),
    };
  });

  // ——— silences ———

  api.get(routePatterns.silences, async (request) => {
    const now = ctx.now();
    const rows = await store.listSilences(request.tapscope.project.pcode, now - SILENCE_HISTORY_MS);
    return { silences: rows.map((s) => toApiSilence(s, now)) };
  });

  api.post(routePatterns.silences, async (request, reply) => {
    requireRole(request, 'member', 'silence alerts');
    const { project, user } = request.tapscope;
    const body = createSilenceRequestSchema.parse(request.body ?? {});
    const now = ctx.now();
    const until = Date.parse(body.until);
    if (until <= now) throw invalid('until must be in the future.', 'until');
    if (until > now + SILENCE_MAX_MS) throw invalid('until must be at most 90 days ahead.', 'until');
    if (body.ruleId !== null && !(await store.getRule(project.pcode, body.ruleId)))
      throw invalid(`Unknown rule ${body.ruleId} in this project.`, 'ruleId');
    const silence = await store.createSilence({
      pcode: project.pcode,
      ruleId: body.ruleId,
      until,
      reason: body.reason,
      createdBy: user.username,
      createdAt: now,
    });
    await audit(
      request,
      'silence_created',
      `project:${project.pcode}`,
      `${body.ruleId === null ? 'whole project' : `rule ${body.ruleId}`} until ${body.until}: ${body.reason}`,
    );
    return reply.code(201).send({ silence: toApiSilence(silence, now) });
  });

  api.delete(routePatterns.silence, async (request, reply) => {
    requireRole(request, 'member', 'end silences');
    const { project } = request.tapscope;
    const missing = () => notFound('No such silence in this project.');
    const removed = await store.deleteSilence(project.pcode, idParam(request, 'id', missing));
    if (!removed) throw missing();
    await audit(request, 'silence_deleted', `project:${project.pcode}`, `silence ${removed.id}: ${removed.reason}`);
    return reply.code(204).send();
  });

  // ——— summary (no :pcode: only the caller's projects) ———

  api.get(routePatterns.alertSummary, async (request) => {
    const user = requireUser(request);
    const projects = await ctx.meta.listProjects(user.id);
    const rows = await store.openIncidentSummary(projects.map((p) => p.pcode));
    return {
      projects: rows.map((r) => ({
        pcode: r.pcode,
        openIncidents: r.open,
        worstSeverity: r.worst,
      })),
    };
  });
}
