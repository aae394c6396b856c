import type { MetaStore } from '../store/meta-store';
import type { TelemetryReader } from '../store/telemetry-store';
import { ProjectData } from './project-data';
import type { AlertReadCache } from './read-cache';
import { isBelowKind, readsCounters, ruleUnit, ruleValues } from './rule-values';
import { dueNotification, stepScope } from './scope-step';
import type { AlertStore, NotificationEvent, OutboxRow, RuleRow, ScopeStateRow, SilenceRow } from './store/alert-store';

export { nextDelayMs } from './scope-step';

export interface EvaluateDeps {
  store: AlertStore;
  meta: Pick<MetaStore, 'listAgents' | 'getProject'>;
  telemetry: TelemetryReader;
  /** Kept between cycles by the caller (counter samples, long windows' roll-ups); none: all read afresh. */
  cache?: AlertReadCache;
  /** Problems of one project's evaluation; the others go on. */
  onError(pcode: string, err: Error): void;
}

export interface CycleResult {
  rules: number;
  /** Scope values computed (rules × agents for per-agent rules). */
  values: number;
  fired: number;
  resolved: number;
  notifications: number;
  failedProjects: number;
}

const stateKey = (ruleId: number, scopeKey: string) => `${ruleId}|${scopeKey}`;

function isSilenced(silences: readonly SilenceRow[], rule: RuleRow): boolean {
  return silences.some((s) => s.pcode === rule.pcode && (s.ruleId === null || s.ruleId === rule.id));
}

/**
 * One evaluation cycle over every enabled rule. Per rule and scope: ok → pending (the
 * condition holds, for less than `forSec`) → firing (an incident opens; notifications follow
 * the repeat schedule) → ok again (the incident resolves, a "resolved" notification goes to
 * the channels that were told it fired). Only changed states are written. A project whose
 * data cannot be read is reported and skipped; the next cycle tries again. The caller holds
 * the evaluation lease, so with several collectors one runs this at a time; the store's
 * unique open incident per rule and scope, and unique notification per (incident, channel,
 * event, sequence), keep a late duplicate from doing anything twice.
 */
export async function evaluateOnce(deps: EvaluateDeps, now: number): Promise<CycleResult> {
  const { store } = deps;
  const result: CycleResult = {
    rules: 0,
    values: 0,
    fired: 0,
    resolved: 0,
    notifications: 0,
    failedProjects: 0,
  };
  const rules = await store.listEnabledRules();
  result.rules = rules.length;
  const version = rules.map((r) => `${r.id}@${r.updatedAt}`).join(',');
  let states = deps.cache?.states?.version === version ? deps.cache.states.byKey : null;
  if (!states) {
    states = new Map((await store.listStates(rules.map((r) => r.id))).map((s) => [stateKey(s.ruleId, s.scopeKey), s]));
    if (deps.cache) deps.cache.states = { version, byKey: states };
  }
  const statesOfRule = new Map<number, ScopeStateRow[]>();
  for (const s of states.values()) {
    const list = statesOfRule.get(s.ruleId);
    if (list) list.push(s);
    else statesOfRule.set(s.ruleId, [s]);
  }
  const silences = await store.activeSilences(now);

  const byProject = new Map<string, RuleRow[]>();
  for (const r of rules) {
    const list = byProject.get(r.pcode);
    if (list) list.push(r);
    else byProject.set(r.pcode, [r]);
  }

  for (const [pcode, projectRules] of byProject) {
    try {
      const project = await deps.meta.getProject(pcode);
      if (!project || project.deletedAt !== null) {
        // The project is gone: so are its rules, incidents and channels.
        await store.deleteProject(pcode);
        continue;
      }
      const agents = await deps.meta.listAgents(pcode);
      const counterWindow = Math.max(0, ...projectRules.filter(readsCounters).map((r) => r.windowSec * 1000));
      const data = new ProjectData(pcode, deps.telemetry, agents, now, counterWindow, undefined, deps.cache);
      const work = await evaluateProject(deps, projectRules, data, states, statesOfRule, silences, now);
      for (const s of work.changed) states.set(stateKey(s.ruleId, s.scopeKey), s);
      for (const g of work.gone) states.delete(stateKey(g.ruleId, g.scopeKey));
      result.values += work.values;
      result.fired += work.fired;
      result.resolved += work.resolved;
      result.notifications += work.notifications;
    } catch (err) {
      // What was written is unknown: read the states again next cycle.
      if (deps.cache) deps.cache.states = null;
      result.failedProjects++;
      deps.onError(pcode, err instanceof Error ? err : new Error(String(err)));
    }
    // Let ingest and HTTP requests run between projects.
    await new Promise((resolve) => setImmediate(resolve));
  }
  deps.cache?.prune(new Set(byProject.keys()), now);
  await store.recordCycle(now);
  return result;
}

/**
 * The rules of one project: values, transitions, then the writes in batches — incidents
 * opened and resolved, values recorded, states saved, notifications queued.
 */
async function evaluateProject(
  deps: EvaluateDeps,
  rules: readonly RuleRow[],
  data: ProjectData,
  states: ReadonlyMap<string, ScopeStateRow>,
  statesOfRule: ReadonlyMap<number, ScopeStateRow[]>,
  silences: readonly SilenceRow[],
  now: number,
) {
  const { store } = deps;
  const pcode = data.pcode;
  const changed: ScopeStateRow[] = [];
  const gone: Array<{ ruleId: number; scopeKey: string }> = [];
  const values: Array<{ id: number; lastValue: number; below: boolean }> = [];
  const opening: Array<{ rule: RuleRow; label: string; state: ScopeStateRow }> = [];
  const resolving: Array<{
    rule: RuleRow;
    state: ScopeStateRow;
    value: number | null;
  }> = [];
  const outbox: Array<Omit<OutboxRow, 'id' | 'attempts'>> = [];
  let scopes = 0;

  const live = new Set((await store.listChannels(pcode)).filter((c) => c.enabled).map((c) => c.id));
  const notify = (rule: RuleRow, incidentId: number, event: NotificationEvent, seq: number) => {
    if (isSilenced(silences, rule)) return;
    for (const channelId of rule.channelIds)
      if (live.has(channelId))
        outbox.push({
          pcode,
          incidentId,
          channelId,
          event,
          seq,
          nextAttemptAt: now,
        });
  };
  /** A firing state written with its due notification, if any. */
  const firing = (rule: RuleRow, s: ScopeStateRow, prev: ScopeStateRow | undefined) => {
    const due = dueNotification(rule, s, now);
    if (due) notify(rule, s.incidentId!, due.event, due.seq);
    const next = due?.state ?? s;
    const same =
      prev &&
      prev.state === next.state &&
      prev.incidentId === next.incidentId &&
      prev.nextNotifyAt === next.nextNotifyAt &&
      prev.notified === next.notified;
    if (!same) changed.push(next);
  };

  for (const [n, rule] of rules.entries()) {
    // The stores answer synchronously on SQLite: let ingest and HTTP in between every 50 rules.
    if (n > 0 && n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    const seen = new Set<string>();
    for (const v of await ruleValues(rule, data)) {
      scopes++;
      seen.add(v.key);
      const prev = states.get(stateKey(rule.id, v.key));
      const out = stepScope(rule, v, prev, now);
      if (out.kind === 'write') {
        if (out.state.state === 'firing') {
          values.push({
            id: out.state.incidentId!,
            lastValue: v.value!,
            below: isBelowKind(rule.kind),
          });
          firing(rule, out.state, prev);
        } else changed.push(out.state);
      } else if (out.kind === 'open') opening.push({ rule, label: v.label, state: out.state });
      else if (out.kind === 'resolve') resolving.push({ rule, state: out.state, value: v.value });
      if (out.kind === 'resolve' || out.kind === 'forget') gone.push({ ruleId: rule.id, scopeKey: v.key });
    }
    // Scopes that went away (an agent removed from the rule or deleted): resolve and forget.
    for (const s of statesOfRule.get(rule.id) ?? []) {
      if (seen.has(s.scopeKey)) continue;
      if (s.state === 'firing' && s.incidentId !== null) resolving.push({ rule, state: s, value: null });
      gone.push({ ruleId: rule.id, scopeKey: s.scopeKey });
    }
  }

  const resolved = await store.resolveIncidents(
    resolving.map((r) => ({
      id: r.state.incidentId!,
      at: now,
      lastValue: r.value,
    })),
  );
  for (const r of resolving)
    if (resolved.has(r.state.incidentId!) && r.state.notified > 0) notify(r.rule, r.state.incidentId!, 'resolved', 0);

  const opened = await store.openIncidents(
    opening.map(({ rule, label, state }) => ({
      pcode,
      ruleId: rule.id,
      ruleName: rule.name,
      kind: rule.kind,
      severity: rule.severity,
      scopeKey: state.scopeKey,
      scopeLabel: label,
      startedAt: now,
      peakValue: state.value!,
      lastValue: state.value!,
      threshold: rule.threshold,
      unit: ruleUnit(rule.kind),
      rule,
    })),
  );
  let fired = 0;
  for (const [i, { rule, state }] of opening.entries()) {
    let id = opened[i]?.id ?? null;
    if (id !== null) fired++;
    else {
      // Already open (a collector that held the lease before this one opened it): adopt it.
      const open = await store.listIncidents(pcode, {
        state: 'open',
        ruleId: rule.id,
        limit: 1000,
      });
      id = open.find((o) => o.scopeKey === state.scopeKey)?.id ?? null;
    }
    if (id !== null) firing(rule, { ...state, incidentId: id }, undefined);
  }

  const written = deps.cache?.incidentValues;
  const fresh = written ? values.filter((v) => written.get(v.id) !== v.lastValue) : values;
  await store.updateIncidentValues(fresh);
  for (const v of fresh) written?.set(v.id, v.lastValue);
  for (const id of resolved) written?.delete(id);
  await store.saveStates(changed);
  await store.deleteStates(gone);
  const notifications = await store.enqueue(outbox);
  return {
    changed,
    gone,
    values: scopes,
    fired,
    resolved: resolved.size,
    notifications,
  };
}
