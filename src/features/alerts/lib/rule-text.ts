import {
  BELOW_KINDS,
  type AlertRule,
  type AlertRuleKind,
  type AlertScope,
  type ResponseTimeStat,
} from '../../../api/alerts';
import { formatNumber } from '../../../lib/format';

/** What each kind watches, as offered in the rule form. */
export const KIND_LABELS: Record<AlertRuleKind, string> = {
  response_time: 'Response time above',
  error_rate: 'Error rate above',
  error_count: 'Error count above',
  tps_above: 'TPS above',
  tps_below: 'TPS below',
  apdex_below: 'Apdex below',
  active_slow: 'Slow active transactions above',
  agent_inactive: 'Agent inactive for more than',
};

/** The unit of a kind's threshold, as the API names it in previews and incidents. */
export const KIND_UNITS: Record<AlertRuleKind, string> = {
  response_time: 'ms',
  error_rate: '%',
  error_count: 'count',
  tps_above: 'tps',
  tps_below: 'tps',
  apdex_below: 'apdex',
  active_slow: 'count',
  agent_inactive: 's',
};

export const STAT_LABELS: Record<ResponseTimeStat, string> = { avg: 'average', p95: 'p95', p99: 'p99' };

/** A value in the unit the API names: "820 ms", "5.2%", "12.4 tps", "0.82", "75 s", "3". */
export function formatAlertValue(value: number, unit: string): string {
  switch (unit) {
    case 'ms':
      return `${formatNumber(value, value < 10 ? 1 : 0)} ms`;
    case '%':
      return `${formatNumber(value, 2)}%`;
    case 'tps':
      return `${formatNumber(value, 2)} tps`;
    case 'apdex':
      return formatNumber(value, 2);
    case 's':
      return `${formatNumber(value, 0)} s`;
    default:
      return formatNumber(value, 2);
  }
}

/** "5 min", "1 h", "90 s": a window or "for" duration given in seconds. */
export function formatSeconds(sec: number): string {
  if (sec === 0) return '0 s';
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

/** Where a rule looks, in words (agent ids named through `agentName`). */
export function describeScope(scope: AlertScope, agentName: (id: number) => string): string {
  if (scope.type === 'project') return 'Whole project';
  if (scope.type === 'transaction') return `Transaction ${scope.name}`;
  return scope.agentIds.map(agentName).join(', ');
}

/** The condition of a rule in one line, e.g. "average response time > 500 ms over 5 min, for 1 min". */
export function describeCondition(
  rule: Pick<AlertRule, 'kind' | 'stat' | 'minSeconds' | 'threshold' | 'windowSec' | 'forSec'>,
): string {
  const unit = KIND_UNITS[rule.kind];
  const op = BELOW_KINDS.includes(rule.kind) ? '<' : '>';
  const value = formatAlertValue(rule.threshold, unit);
  const over = `over ${formatSeconds(rule.windowSec)}`;
  const hold = rule.forSec > 0 ? `, for ${formatSeconds(rule.forSec)}` : '';
  switch (rule.kind) {
    case 'response_time':
      return `${STAT_LABELS[rule.stat]} response time ${op} ${value} ${over}${hold}`;
    case 'error_rate':
      return `error rate ${op} ${value} ${over}${hold}`;
    case 'error_count':
      return `errors ${op} ${value} ${over}${hold}`;
    case 'tps_above':
    case 'tps_below':
      return `TPS ${op} ${value} ${over}${hold}`;
    case 'apdex_below':
      return `apdex ${op} ${value} ${over}${hold}`;
    case 'active_slow':
      return `transactions active ≥ ${rule.minSeconds} s ${op} ${value} ${over}${hold}`;
    case 'agent_inactive':
      return `no data from an agent for more than ${value}${hold}`;
  }
}
