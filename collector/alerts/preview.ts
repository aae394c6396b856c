import type { AlertPreview, AlertSeries } from '../../src/api/alerts';
import type { AgentRow } from '../store/meta-store';
import type { TelemetryReader } from '../store/telemetry-store';
import { ProjectCounters } from './counter-windows';
import { ProjectData } from './project-data';
import { breaches, isBelowKind, readsCounters, ruleUnit, type ScopeValue } from './rule-values';
import { ruleValues } from './rule-values';
import type { RuleSettings } from './store/alert-store';

const RANGES = {
  '1h': { ms: 3_600_000, step: 60_000 },
  '1d': { ms: 86_400_000, step: 600_000 },
} as const;

/** agent_inactive over the past: seconds since each agent's last counter sample before `t`. */
function inactiveValues(rule: RuleSettings, counters: ProjectCounters, agents: readonly AgentRow[], t: number): ScopeValue[] {
  const ids = rule.scope.type === 'agents' ? rule.scope.agentIds : agents.map((a) => a.id);
  const names = new Map(agents.map((a) => [a.id, a.objectName]));
  const [, b] = counters.range(t, 0);
  return ids.map((id) => {
    const series = counters.agent(id);
    const last = b > 0 ? series.lastSample[b - 1]! : -1;
    const value = last < 0 ? null : Math.max(0, (t - (counters.start + (last + 1) * counters.step)) / 1000);
    return { key: `agent:${id}`, label: names.get(id) ?? `agent ${id}`, value };
  });
}

/**
 * The live preview of a rule being edited: its metric over the last hour (a point a minute) or
 * day (every 10 minutes), each point the value the evaluator would have seen then, and how
 * often the rule would have fired with its "for" duration.
 */
export async function previewRule(
  rule: RuleSettings,
  range: '1h' | '1d',
  deps: {
    pcode: string;
    telemetry: TelemetryReader;
    agents: readonly AgentRow[];
    now: number;
  },
): Promise<AlertPreview> {
  const { ms, step } = RANGES[range];
  const to = Math.floor(deps.now / step) * step;
  const from = to - ms;
  const windowMs = rule.windowSec * 1000;
  const needsCounters = readsCounters(rule) || rule.kind === 'agent_inactive';
  let counters: ProjectCounters | undefined;
  if (needsCounters) {
    // Inactivity looks back further than a window: an agent may have been silent for long.
    const start = from - (rule.kind === 'agent_inactive' ? ms : windowMs);
    const read = await deps.telemetry.counters(deps.pcode, start, to);
    counters = new ProjectCounters(Math.floor(start / read.step) * read.step, read.step, to + 1, read.points);
  }

  const series = new Map<string, AlertSeries>();
  for (let t = from + step; t <= to; t += step) {
    const values =
      rule.kind === 'agent_inactive'
        ? inactiveValues(rule, counters!, deps.agents, t)
        : await ruleValues(rule, new ProjectData(deps.pcode, deps.telemetry, deps.agents, t, windowMs, counters));
    for (const v of values) {
      let s = series.get(v.key);
      if (!s) series.set(v.key, (s = { key: v.key, label: v.label, points: [] }));
      s.points.push({
        time: t,
        value: v.value === null ? null : Math.round(v.value * 1000) / 1000,
      });
    }
  }

  // Replays the state machine: a breach lasting `forSec` fires once until it clears.
  const firing: AlertPreview['firing'] = [];
  for (const s of series.values()) {
    let since: number | null = null;
    let open: { key: string; from: number; to: number } | null = null;
    for (const p of s.points) {
      if (breaches(rule, p.value)) {
        since ??= p.time;
        if (!open && p.time - since >= rule.forSec * 1000) firing.push((open = { key: s.key, from: p.time, to: p.time }));
        if (open) open.to = p.time;
      } else {
        since = null;
        open = null;
      }
    }
  }

  return {
    from,
    to,
    step,
    unit: ruleUnit(rule.kind),
    threshold: rule.threshold,
    comparison: isBelowKind(rule.kind) ? 'below' : 'above',
    series: [...series.values()],
    wouldFire: firing.length,
    firing,
  };
}
