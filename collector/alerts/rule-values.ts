import { BELOW_KINDS, type AlertRuleKind } from '../../src/api/alerts';
import { mergeHistogram, newHistogram, percentile } from '../store/rollup-histogram';
import type { AgentLatency } from '../store/telemetry-store';
import type { CounterSeries, ProjectCounters } from './counter-windows';
import type { ProjectData } from './project-data';
import type { RuleSettings } from './store/alert-store';

/** One value of a rule: for the project, one agent, or one transaction name. */
export interface ScopeValue {
  /** `project`, `agent:<id>`, `tx:<name>`. */
  key: string;
  label: string;
  /** Null: no data to judge (never fires). */
  value: number | null;
}

export const PROJECT_LABEL = 'Whole project';

/** The unit of a kind's values and threshold. */
export function ruleUnit(kind: AlertRuleKind): string {
  switch (kind) {
    case 'agent_inactive':
      return 's';
    case 'error_rate':
      return '%';
    case 'response_time':
      return 'ms';
    case 'tps_below':
    case 'tps_above':
      return 'tps';
    case 'apdex_below':
      return 'apdex';
    default:
      return 'count';
  }
}

export const isBelowKind = (kind: AlertRuleKind) => BELOW_KINDS.includes(kind);

/** True when the value breaks the threshold (null never does). */
export function breaches(rule: Pick<RuleSettings, 'kind' | 'threshold'>, value: number | null): boolean {
  if (value === null) return false;
  return isBelowKind(rule.kind) ? value < rule.threshold : value > rule.threshold;
}

/** Whether the rule reads the counters (and so how far back they must be fetched). */
export function readsCounters(rule: RuleSettings): boolean {
  if (rule.kind === 'agent_inactive') return false;
  if (rule.scope.type === 'transaction') return false;
  return !(rule.kind === 'response_time' && rule.stat !== 'avg');
}

/** A value from the counter sums of one series over the window ending at `to`. */
export function counterValue(rule: RuleSettings, counters: ProjectCounters, series: CounterSeries, to: number): number | null {
  const windowMs = rule.windowSec * 1000;
  const [a, b] = counters.range(to, windowMs);
  if (rule.kind === 'active_slow') return b > a ? series.maxActive(a, b, rule.minSeconds) : null;
  const s = series.sums(a, b);
  switch (rule.kind) {
    case 'error_count':
      return s.txError;
    case 'error_rate':
      return s.txCount > 0 ? (100 * s.txError) / s.txCount : null;
    case 'response_time':
      return s.txCount > 0 ? s.respSum / s.txCount : null;
    case 'tps_below':
    case 'tps_above':
      return s.txCount / rule.windowSec;
    case 'apdex_below':
      return s.apdexWeight > 0 ? s.apdexSum / s.apdexWeight : null;
    default:
      return null;
  }
}

function latencyValue(rule: RuleSettings, rows: readonly AgentLatency[]): number | null {
  const count = rows.reduce((n, r) => n + r.count, 0);
  if (count === 0) return null;
  const h = newHistogram();
  for (const r of rows) mergeHistogram(h, r.hist);
  const min = Math.min(...rows.map((r) => r.min));
  const max = Math.max(...rows.map((r) => r.max));
  return percentile(h, rule.stat === 'p99' ? 0.99 : 0.95, min, max);
}

/** The agents a rule looks at one by one (agent_inactive of the project: every agent). */
function agentScope(rule: RuleSettings, data: ProjectData): Array<{ id: number; label: string }> {
  const names = data.agentNames;
  if (rule.scope.type === 'agents')
    return rule.scope.agentIds.map((id) => ({
      id,
      label: names.get(id) ?? `agent ${id}`,
    }));
  return data.agents.map((a) => ({ id: a.id, label: a.objectName }));
}

/** The rule's values now, one per scope key. */
export async function ruleValues(rule: RuleSettings, data: ProjectData): Promise<ScopeValue[]> {
  const now = data.now;
  const windowMs = rule.windowSec * 1000;

  if (rule.kind === 'agent_inactive') {
    const seen = new Map(data.agents.map((a) => [a.id, a.lastSeen]));
    return agentScope(rule, data).map(({ id, label }) => {
      const last = seen.get(id);
      return {
        key: `agent:${id}`,
        label,
        value: last === undefined ? null : Math.max(0, (now - last) / 1000),
      };
    });
  }

  if (rule.scope.type === 'transaction') {
    const name = rule.scope.name;
    const row = (await data.transactionStats(windowMs)).find((r) => r.key === name);
    const key = `tx:${name}`;
    let value: number | null = null;
    const count = row?.count ?? 0;
    if (rule.kind === 'error_count') value = row?.errors ?? 0;
    else if (rule.kind === 'error_rate') value = row && count > 0 ? (100 * row.errors) / count : null;
    else if (rule.kind === 'response_time') value = row && count > 0 ? row[rule.stat] : null;
    else if (rule.kind === 'tps_below' || rule.kind === 'tps_above') value = count / rule.windowSec;
    return [{ key, label: name, value }];
  }

  if (rule.kind === 'response_time' && rule.stat !== 'avg') {
    const rows = await data.latencyByAgent(windowMs);
    if (rule.scope.type === 'project')
      return [
        {
          key: 'project',
          label: PROJECT_LABEL,
          value: latencyValue(rule, rows),
        },
      ];
    return agentScope(rule, data).map(({ id, label }) => ({
      key: `agent:${id}`,
      label,
      value: latencyValue(
        rule,
        rows.filter((r) => r.agentId === id),
      ),
    }));
  }

  const counters = await data.counters();
  if (rule.scope.type === 'project')
    return [
      {
        key: 'project',
        label: PROJECT_LABEL,
        value: counterValue(rule, counters, counters.project, now),
      },
    ];
  return agentScope(rule, data).map(({ id, label }) => ({
    key: `agent:${id}`,
    label,
    value: counterValue(rule, counters, counters.agent(id), now),
  }));
}
