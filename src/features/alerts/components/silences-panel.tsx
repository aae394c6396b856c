import { useState, type FormEvent } from 'react';
import type { AlertRule } from '../../../api/alerts';
import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { EmptyState } from '../../../components/empty-state';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, Select, TextInput } from '../../../components/form-field';
import { Badge } from '../../../components/page';
import { Skeleton } from '../../../components/spinner';
import { formatDateTime } from '../../../lib/time-format';
import { useFieldErrors } from '../../../lib/form-errors';
import { useCreateSilence } from '../api/create-silence';
import { useDeleteSilence } from '../api/delete-silence';
import { useSilences } from '../api/get-silences';
import { apiErrorField } from '../lib/api-field';

const DURATIONS = [
  ['1 hour', 3_600_000],
  ['4 hours', 4 * 3_600_000],
  ['1 day', 86_400_000],
  ['7 days', 7 * 86_400_000],
] as const;
const SILENCE_FIELDS = ['ruleId', 'until', 'reason'] as const;

/** Mute a rule or the whole project for a while: incidents still open and resolve, nobody is notified. */
export function SilencesPanel({
  pcode,
  timeZone,
  canEdit,
  rules,
}: {
  pcode: string;
  timeZone: string;
  canEdit: boolean;
  rules: readonly AlertRule[];
}) {
  const silences = useSilences(pcode);
  const create = useCreateSilence(pcode);
  const remove = useDeleteSilence(pcode);
  const [ruleId, setRuleId] = useState('');
  const [duration, setDuration] = useState<number>(DURATIONS[0][1]);
  const [reason, setReason] = useState('');
  const [errors, setErrors, clearError] = useFieldErrors<(typeof SILENCE_FIELDS)[number]>();
  const [formError, setFormError] = useState<unknown>(null);
  const ruleName = (id: number | null) => (id === null ? 'Whole project' : (rules.find((r) => r.id === id)?.name ?? `rule #${id}`));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    create.mutate(
      { ruleId: ruleId ? Number(ruleId) : null, until: new Date(Date.now() + duration).toISOString(), reason },
      {
        onSuccess: () => {
          setReason('');
          setErrors({});
        },
        onError: (error) => {
          const field = apiErrorField(error, SILENCE_FIELDS);
          if (field) setErrors({ [field]: (error as Error).message });
          else setFormError(error);
        },
      },
    );
  }

  return (
    <div className="alerts-panel">
      {canEdit && (
        <form className="silence-form" aria-label="New silence" onSubmit={onSubmit} noValidate>
          {formError != null && <ErrorBanner error={formError} />}
          <div className="form-row">
            <Field label="Mute" error={errors.ruleId}>
              {(p) => (
                <Select {...p} value={ruleId} onChange={(e) => { setRuleId(e.target.value); clearError('ruleId'); }}>
                  <option value="">Whole project</option>
                  {rules.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="For" error={errors.until}>
              {(p) => (
                <Select {...p} value={duration} onChange={(e) => { setDuration(Number(e.target.value)); clearError('until'); }}>
                  {DURATIONS.map(([label, ms]) => (
                    <option key={ms} value={ms}>
                      {label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Field label="Reason" error={errors.reason} hint="Shown to everyone and kept in the audit log.">
            {(p) => (
              <TextInput {...p} value={reason} maxLength={500} placeholder="Planned maintenance" onChange={(e) => { setReason(e.target.value); clearError('reason'); }} />
            )}
          </Field>
          <div className="form-actions">
            <Button type="submit" variant="primary" loading={create.isPending}>
              Silence
            </Button>
          </div>
        </form>
      )}
      {silences.isPending && <Skeleton rows={2} label="Loading silences…" />}
      {silences.isError && <ErrorBanner error={silences.error} onRetry={() => silences.refetch()} retrying={silences.isFetching} />}
      {remove.isError && <ErrorBanner error={remove.error} title="The silence was not ended" />}
      {silences.data?.length === 0 && (
        <EmptyState
          title="Nothing is silenced"
          description={
            canEdit
              ? 'Before planned maintenance, mute a rule or the whole project above; incidents are still recorded.'
              : 'When a rule or the project is muted (e.g. for maintenance), it is listed here.'
          }
        />
      )}
      {silences.data && silences.data.length > 0 && (
        <DataTable label="Silences" columns={['Mutes', 'Until', 'Reason', 'By']} actions={canEdit}>
          {silences.data.map((s) => (
            <tr key={s.id} className={s.active ? undefined : 'row-muted'}>
              <td>
                {ruleName(s.ruleId)} {s.active ? <Badge tone="warning">Active</Badge> : <Badge tone="neutral">Ended</Badge>}
              </td>
              <td className="nowrap">{formatDateTime(s.until, timeZone)}</td>
              <td>{s.reason}</td>
              <td>{s.createdBy}</td>
              {canEdit && (
                <td className="cell-actions">
                  {s.active && (
                    <Button size="sm" variant="ghost" disabled={remove.isPending} onClick={() => remove.mutate(s.id)}>
                      End now
                    </Button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
