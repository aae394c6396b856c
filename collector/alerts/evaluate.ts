import { parseRepeatSchedule } from '../../src/api/alerts';
import type { MetaStore } from '../store/meta-store';
import type { TelemetryStore } from '../store/telemetry-store';
import { ProjectData } from './project-data';
import type { AlertReadCache } from './read-cache';
import { breaches, isBelowKind, readsCounters, ruleUnit, ruleValues, type ScopeValue } from './rule-values';
import type { AlertStore, NotificationEvent, OutboxRow, RuleRow, ScopeStateRow, SilenceRow } from './store/alert-store';

export interface EvaluateDeps {
  store: AlertStore;
  meta: Pick<MetaStore, 'listAgents' | 'getProject'>;
  telemetry: TelemetryStore;
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

/**
 * The delay before the notification after the `sent`-th one (0 = the first), from the repeat
 * schedule: the first entry, then each next, then the last one again; null when no more
 * are due (a later `0`, or a schedule of just `0`).
 */
export function nextDelayMs(schedule: string, sent: number): number | null {
  const delays = parseRepeatSchedule(schedule);
  if (sent === 0) return delays[0]! * 1000;
  const d = delays[Math.min(sent, delays.length - 1)]!;
  return d > 0 ? d * 1000 : null;
}

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
  const result: CycleResult = { rules: 0, values: 0, fired: 0, resolved: 0, notifications: 0, failedProjects: 0 };
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
      const changed: ScopeStateRow[] = [];
      const gone: Array<{ ruleId: number; scopeKey: string }> = [];
      const outbox: Array<Omit<OutboxRow, 'id' | 'attempts'>> = [];
      const values: Array<{ id: number; lastValue: number; below: boolean }> = [];
      const agents = await deps.meta.listAgents(pcode);
      const counterWindow = Math.max(0, ...projectRules.filter(readsCounters).map((r) => r.windowSec * 1000));
      const data = new ProjectData(pcode, deps.telemetry, agents, now, counterWindow, undefined, deps.cache);
      let channelIds: Set<number> | undefined;
      const liveChannels = async () =>
        (channelIds ??= new Set((await store.listChannels(pcode)).filter((c) => c.enabled).map((c) => c.id)));

      const notify = async (rule: RuleRow, incidentId: number, event: NotificationEvent, seq: number) => {
        if (isSilenced(silences, rule)) return;
        const live = await liveChannels();
        for (const channelId of rule.channelIds)
          if (live.has(channelId)) outbox.push({ pcode, incidentId, channelId, event, seq, nextAttemptAt: now });
      };

      for (const rule of projectRules) {
        const scopes = await ruleValues(rule, data);
        result.values += scopes.length;
        const seen = new Set<string>();
        for (const v of scopes) {
          seen.add(v.key);
          const prev = states.get(stateKey(rule.id, v.key));
          const next = await step(deps, rule, v, prev, now, notify, values, result);
          if (next === 'delete') gone.push({ ruleId: rule.id, scopeKey: v.key });
          else if (next) changed.push(next);
        }
        // Scopes that went away (an agent removed from the rule or deleted): resolve and forget.
        for (const s of statesOfRule.get(rule.id) ?? []) {
          if (seen.has(s.scopeKey)) continue;
          if (s.state === 'firing' && s.incidentId !== null) {
            await store.resolveIncident(s.incidentId, now, null);
            result.resolved++;
          }
          gone.push({ ruleId: rule.id, scopeKey: s.scopeKey });
        }
      }
      await store.updateIncidentValues(values);
      await store.saveStates(changed);
      await store.deleteStates(gone);
      for (const s of changed) states.set(stateKey(s.ruleId, s.scopeKey), s);
      for (const g of gone) states.delete(stateKey(g.ruleId, g.scopeKey));
      result.notifications += await store.enqueue(outbox);
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

/** One scope's transition; returns the state to write, 'delete' to forget it, or null when unchanged. */
async function step(
  deps: EvaluateDeps,
  rule: RuleRow,
  v: ScopeValue,
  prev: ScopeStateRow | undefined,
  now: number,
  notify: (rule: RuleRow, incidentId: number, event: NotificationEvent, seq: number) => Promise<void>,
  values: Array<{ id: number; lastValue: number; below: boolean }>,
  result: CycleResult,
): Promise<ScopeStateRow | 'delete' | null> {
  const { store } = deps;
  const base: ScopeStateRow = prev ?? {
    ruleId: rule.id,
    scopeKey: v.key,
    state: 'ok',
    since: now,
    value: null,
    evaluatedAt: now,
    incidentId: null,
    nextNotifyAt: null,
    notified: 0,
  };
  const breach = breaches(rule, v.value);

  if (!breach) {
    if (base.state === 'ok') return null;
    if (base.state === 'firing' && base.incidentId !== null) {
      const resolved = await store.resolveIncident(base.incidentId, now, v.value);
      if (resolved) {
        result.resolved++;
        if (base.notified > 0) await notify(rule, base.incidentId, 'resolved', 0);
      }
    }
    // Back to ok: nothing worth keeping.
    return 'delete';
  }

  let s: ScopeStateRow = { ...base, value: v.value, evaluatedAt: now };
  if (s.state === 'ok') s = { ...s, state: 'pending', since: now };
  if (s.state === 'pending' && now - s.since >= rule.forSec * 1000) {
    const opened = await store.openIncident({
      pcode: rule.pcode,
      ruleId: rule.id,
      ruleName: rule.name,
      kind: rule.kind,
      severity: rule.severity,
      scopeKey: v.key,
      scopeLabel: v.label,
      startedAt: now,
      peakValue: v.value!,
      lastValue: v.value!,
      threshold: rule.threshold,
      unit: ruleUnit(rule.kind),
      rule,
    });
    let incidentId = opened?.id ?? null;
    if (opened) result.fired++;
    else {
      // Already open (a collector that held the lease before us opened it): adopt it.
      const open = await store.listIncidents(rule.pcode, { state: 'open', ruleId: rule.id, limit: 1000 });
      incidentId = open.find((i) => i.scopeKey === v.key)?.id ?? null;
      if (incidentId === null) return s;
    }
    s = { ...s, state: 'firing', since: now, incidentId, nextNotifyAt: now + nextDelayMs(rule.repeat, 0)!, notified: 0 };
  } else if (s.state === 'firing' && s.incidentId !== null) {
    values.push({ id: s.incidentId, lastValue: v.value!, below: isBelowKind(rule.kind) });
  }

  if (s.state === 'firing' && s.incidentId !== null && s.nextNotifyAt !== null && now >= s.nextNotifyAt) {
    await notify(rule, s.incidentId, s.notified === 0 ? 'firing' : 'repeat', s.notified);
    const delay = nextDelayMs(rule.repeat, s.notified + 1);
    s = { ...s, notified: s.notified + 1, nextNotifyAt: delay === null ? null : now + delay };
  }

  const same =
    prev &&
    prev.state === s.state &&
    prev.incidentId === s.incidentId &&
    prev.nextNotifyAt === s.nextNotifyAt &&
    prev.notified === s.notified;
  return same ? null : s;
}
