import { useState, type FormEvent } from 'react';
import {
  alertSeveritySchema,
  TRANSACTION_SCOPE_KINDS,
  type AlertChannel,
  type AlertRule,
  type AlertRuleKind,
} from '../../../api/alerts';
import type { Agent } from '../../../api/agents';
import { Dialog, FormDialogFooter } from '../../../components/dialog';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, Select, TextInput } from '../../../components/form-field';
import { useFieldErrors } from '../../../lib/form-errors';
import { useCreateAlertRule } from '../api/create-alert-rule';
import { useUpdateAlertRule } from '../api/update-alert-rule';
import { apiErrorField } from '../lib/api-field';
import {
  DEFAULT_THRESHOLDS,
  emptyRuleForm,
  FOR_CHOICES,
  formToRequest,
  previewRequest,
  RULE_FIELDS,
  ruleToForm,
  WINDOW_CHOICES,
  type RuleField,
  type RuleFormValues,
} from '../lib/rule-form';
import { formatSeconds, KIND_LABELS, KIND_UNITS, STAT_LABELS } from '../lib/rule-text';
import { RulePreview } from './rule-preview';

const UNIT_HINT: Record<string, string> = {
  ms: 'milliseconds',
  '%': 'percent of transactions, 0 to 100',
  count: 'a count',
  tps: 'transactions per second',
  apdex: 'apdex, 0 to 1',
  s: 'seconds (at least 10)',
};

const withValue = (choices: number[], value: number) => (choices.includes(value) ? choices : [...choices, value].sort((a, b) => a - b));

/** Creates a rule, or edits `rule`; the API's 400 is shown next to the field it names. */
export function RuleFormDialog({
  pcode,
  timeZone,
  rule,
  agents,
  channels,
  onClose,
}: {
  pcode: string;
  timeZone: string;
  rule: AlertRule | null;
  agents: readonly Agent[];
  channels: readonly AlertChannel[];
  onClose: () => void;
}) {
  const [values, setValues] = useState<RuleFormValues>(() => (rule ? ruleToForm(rule) : emptyRuleForm()));
  const [errors, setErrors, clearError] = useFieldErrors<RuleField>();
  const [formError, setFormError] = useState<unknown>(null);
  const create = useCreateAlertRule(pcode);
  const update = useUpdateAlertRule(pcode);
  const busy = create.isPending || update.isPending;

  function set<K extends keyof RuleFormValues>(key: K, value: RuleFormValues[K], field: RuleField = key as RuleField) {
    setValues((v) => ({ ...v, [key]: value }));
    clearError(field);
  }

  function changeKind(kind: AlertRuleKind) {
    setValues((v) => ({
      ...v,
      kind,
      // A threshold that suited the old kind rarely suits the new one.
      threshold: DEFAULT_THRESHOLDS[kind],
      scopeType: v.scopeType === 'transaction' && !TRANSACTION_SCOPE_KINDS.includes(kind) ? 'project' : v.scopeType,
    }));
    setErrors({});
  }

  function onError(error: unknown) {
    const field = apiErrorField(error, RULE_FIELDS);
    if (field) {
      setErrors({ [field]: (error as Error).message });
      setFormError(null);
    } else {
      setFormError(error);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const body = formToRequest(values);
    if (rule) update.mutate({ id: rule.id, patch: body as Parameters<typeof update.mutate>[0]['patch'] }, { onSuccess: onClose, onError });
    else create.mutate(body, { onSuccess: onClose, onError });
  }

  const unit = KIND_UNITS[values.kind];
  const txAllowed = TRANSACTION_SCOPE_KINDS.includes(values.kind);
  return (
    <Dialog
      open
      onClose={onClose}
      busy={busy}
      width={880}
      title={rule ? `Edit rule “${rule.name}”` : 'New alert rule'}
      footer={<FormDialogFooter form="alert-rule-form" submitLabel={rule ? 'Save rule' : 'Create rule'} busy={busy} onCancel={onClose} />}
    >
      <div className="rule-dialog">
        <form id="alert-rule-form" className="form-stack" aria-label="Alert rule" onSubmit={onSubmit} noValidate>
          {formError != null && <ErrorBanner error={formError} />}
          <Field label="Name" error={errors.name}>
            {(p) => (
              <TextInput {...p} value={values.name} maxLength={120} placeholder="Checkout is slow" onChange={(e) => set('name', e.target.value)} />
            )}
          </Field>
          <div className="form-row">
            <Field label="Condition" error={errors.kind}>
              {(p) => (
                <Select {...p} value={values.kind} onChange={(e) => changeKind(e.target.value as AlertRuleKind)}>
                  {(Object.keys(KIND_LABELS) as AlertRuleKind[]).map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            {values.kind === 'response_time' && (
              <Field label="Statistic" error={errors.stat}>
                {(p) => (
                  <Select {...p} value={values.stat} onChange={(e) => set('stat', e.target.value as RuleFormValues['stat'])}>
                    {(['avg', 'p95', 'p99'] as const).map((s) => (
                      <option key={s} value={s}>
                        {STAT_LABELS[s]}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            )}
            {values.kind === 'active_slow' && (
              <Field label="Active for at least" error={errors.minSeconds}>
                {(p) => (
                  <Select {...p} value={values.minSeconds} onChange={(e) => set('minSeconds', Number(e.target.value) as 3 | 8)}>
                    <option value={3}>3 seconds</option>
                    <option value={8}>8 seconds</option>
                  </Select>
                )}
              </Field>
            )}
          </div>
          <div className="form-row">
            <Field label="Threshold" hint={`In ${UNIT_HINT[unit] ?? unit}.`} error={errors.threshold}>
              {(p) => (
                <TextInput {...p} inputMode="decimal" value={values.threshold} onChange={(e) => set('threshold', e.target.value)} />
              )}
            </Field>
            <Field label="Window" hint="The values are taken over this window." error={errors.windowSec}>
              {(p) => (
                <Select {...p} value={values.windowSec} onChange={(e) => set('windowSec', Number(e.target.value))}>
                  {withValue(WINDOW_CHOICES, values.windowSec).map((s) => (
                    <option key={s} value={s}>
                      {formatSeconds(s)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="For" hint="How long the condition must hold before it fires." error={errors.forSec}>
              {(p) => (
                <Select {...p} value={values.forSec} onChange={(e) => set('forSec', Number(e.target.value))}>
                  {withValue(FOR_CHOICES, values.forSec).map((s) => (
                    <option key={s} value={s}>
                      {s === 0 ? 'At once' : formatSeconds(s)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Field label="Scope" error={errors.scope}>
            {(p) => (
              <Select
                {...p}
                value={values.scopeType}
                onChange={(e) => set('scopeType', e.target.value as RuleFormValues['scopeType'], 'scope')}
              >
                <option value="project">Whole project</option>
                <option value="agents">Some agents (each one separately)</option>
                {txAllowed && <option value="transaction">One transaction (URL or route)</option>}
              </Select>
            )}
          </Field>
          {values.scopeType === 'agents' && (
            <fieldset className="check-list" aria-label="Agents">
              {agents.length === 0 && <p className="text-muted">No agent has connected yet: watch the whole project for now.</p>}
              {agents.map((a) => (
                <label key={a.id} className="check-item">
                  <input
                    type="checkbox"
                    checked={values.agentIds.includes(a.id)}
                    onChange={(e) =>
                      set(
                        'agentIds',
                        e.target.checked ? [...values.agentIds, a.id] : values.agentIds.filter((id) => id !== a.id),
                        'scope',
                      )
                    }
                  />
                  {a.objectName}
                </label>
              ))}
            </fieldset>
          )}
          {values.scopeType === 'transaction' && (
            <Field label="Transaction name" hint="As shown in the statistics, e.g. /checkout or /api/orders/<id>." error={errors.scope}>
              {(p) => <TextInput {...p} value={values.transaction} onChange={(e) => set('transaction', e.target.value, 'scope')} />}
            </Field>
          )}
          <div className="form-row">
            <Field label="Severity" error={errors.severity}>
              {(p) => (
                <Select {...p} value={values.severity} onChange={(e) => set('severity', e.target.value as RuleFormValues['severity'])}>
                  {alertSeveritySchema.options.map((s) => (
                    <option key={s} value={s}>
                      {s[0]!.toUpperCase() + s.slice(1)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field
              label="Repeat"
              hint="Delays while it keeps firing: 0,1H,1D = at once, after an hour, then daily. Units m, H, D."
              error={errors.repeat}
            >
              {(p) => <TextInput {...p} className="input-mono" value={values.repeat} onChange={(e) => set('repeat', e.target.value)} />}
            </Field>
          </div>
          <fieldset className="check-list" aria-label="Notify channels">
            <legend className="field-label">Notify</legend>
            {channels.length === 0 && <p className="text-muted">No channel yet: add one in the Channels tab to be notified.</p>}
            {channels.map((c) => (
              <label key={c.id} className="check-item">
                <input
                  type="checkbox"
                  checked={values.channelIds.includes(c.id)}
                  onChange={(e) =>
                    set('channelIds', e.target.checked ? [...values.channelIds, c.id] : values.channelIds.filter((id) => id !== c.id))
                  }
                />
                {c.name} <span className="text-muted">({c.kind})</span>
              </label>
            ))}
            {errors.channelIds && <p className="field-error">{errors.channelIds}</p>}
          </fieldset>
          <label className="check-item">
            <input type="checkbox" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked, 'name')} />
            Enabled
          </label>
        </form>
        <RulePreview pcode={pcode} rule={previewRequest(values)} timeZone={timeZone} />
      </div>
    </Dialog>
  );
}
