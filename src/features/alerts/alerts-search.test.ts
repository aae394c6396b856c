import { describe, expect, it } from 'vitest';
import { alertsSearchParams, parseAlertsSearch } from './alerts-search';

describe('alerts search params', () => {
  it('round-trips a view and leaves defaults out', () => {
    const view = parseAlertsSearch(new URLSearchParams('tab=rules&state=resolved&severity=critical&rule=7'));
    expect(view).toEqual({ tab: 'rules', state: 'resolved', severity: 'critical', ruleId: 7 });
    expect(alertsSearchParams(view).toString()).toBe('tab=rules&state=resolved&severity=critical&rule=7');
    expect(alertsSearchParams(parseAlertsSearch(new URLSearchParams())).toString()).toBe('');
  });

  it('falls back to the defaults on malformed values', () => {
    expect(parseAlertsSearch(new URLSearchParams('tab=nope&state=x&severity=fatal&rule=-2'))).toEqual({
      tab: 'incidents',
      state: 'open',
      severity: undefined,
      ruleId: undefined,
    });
  });
});
