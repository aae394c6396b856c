import type { AlertStore, RuleRow } from './store/alert-store';

/**
 * Starts a rule over (its condition changed, it was disabled or is being deleted): its open
 * incidents resolve now and its per-scope states are forgotten.
 */
export async function resetRule(store: AlertStore, rule: RuleRow, now: number): Promise<void> {
  const open = await store.listIncidents(rule.pcode, {
    state: 'open',
    ruleId: rule.id,
    limit: 10_000,
  });
  for (const incident of open) await store.resolveIncident(incident.id, now, null);
  const states = await store.listStates([rule.id]);
  await store.deleteStates(states.map((s) => ({ ruleId: s.ruleId, scopeKey: s.scopeKey })));
}
