import { parseRepeatSchedule } from '../../src/api/alerts';
import { breaches } from './rule-values';
import type { ScopeValue } from './rule-values';
import type { RuleRow, ScopeStateRow } from './store/alert-store';

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

/** What one scope's evaluation asks for; the caller does the writes in batches. */
export type StepOutcome =
  /** Nothing changed. */
  | { kind: 'same' }
  /** A new or changed state to write (pending, or firing with values to record). */
  | { kind: 'write'; state: ScopeStateRow }
  /** The condition holds long enough: open an incident, then write `state` with its id. */
  | { kind: 'open'; state: ScopeStateRow }
  /** Firing and cleared: resolve `incidentId`, forget the state. */
  | { kind: 'resolve'; state: ScopeStateRow }
  /** Pending and cleared: forget the state. */
  | { kind: 'forget' };

/** One scope's transition ok → pending → firing → ok (pure: no I/O). */
export function stepScope(rule: RuleRow, v: ScopeValue, prev: ScopeStateRow | undefined, now: number): StepOutcome {
  if (!breaches(rule, v.value)) {
    if (!prev || prev.state === 'ok') return { kind: 'same' };
    return prev.state === 'firing' && prev.incidentId !== null ? { kind: 'resolve', state: prev } : { kind: 'forget' };
  }
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
  let s: ScopeStateRow = { ...base, value: v.value, evaluatedAt: now };
  if (s.state === 'ok') s = { ...s, state: 'pending', since: now };
  if (s.state === 'pending') {
    if (now - s.since < rule.forSec * 1000) return prev?.state === 'pending' ? { kind: 'same' } : { kind: 'write', state: s };
    return {
      kind: 'open',
      state: {
        ...s,
        state: 'firing',
        since: now,
        nextNotifyAt: now + nextDelayMs(rule.repeat, 0)!,
        notified: 0,
      },
    };
  }
  return { kind: 'write', state: s };
}

/**
 * While firing: the notification due now, if any (`firing` for the first, `repeat` after),
 * and the state with the schedule moved on.
 */
export function dueNotification(
  rule: RuleRow,
  s: ScopeStateRow,
  now: number,
): { event: 'firing' | 'repeat'; seq: number; state: ScopeStateRow } | null {
  if (s.state !== 'firing' || s.incidentId === null || s.nextNotifyAt === null || now < s.nextNotifyAt) return null;
  const delay = nextDelayMs(rule.repeat, s.notified + 1);
  return {
    event: s.notified === 0 ? 'firing' : 'repeat',
    seq: s.notified,
    state: {
      ...s,
      notified: s.notified + 1,
      nextNotifyAt: delay === null ? null : now + delay,
    },
  };
}
