import { useState, type FormEvent } from 'react';
import type { AlertChannel, AlertChannelKind } from '../../../api/alerts';
import { Dialog, FormDialogFooter } from '../../../components/dialog';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, Select, TextInput } from '../../../components/form-field';
import { useFieldErrors } from '../../../lib/form-errors';
import { useCreateAlertChannel } from '../api/create-alert-channel';
import { useUpdateAlertChannel } from '../api/update-alert-channel';
import { apiErrorField } from '../lib/api-field';
import {
  CHANNEL_FIELDS,
  channelToForm,
  emptyChannelForm,
  formToCreate,
  formToUpdate,
  type ChannelField,
  type ChannelFormValues,
} from '../lib/channel-form';

const KIND_LABEL: Record<AlertChannelKind, string> = {
  webhook: 'Webhook (signed JSON)',
  slack: 'Slack-compatible incoming webhook',
  email: 'Email (SMTP)',
};

/**
 * Adds a channel or edits `channel`. Secrets are write-only: on edit the field is empty and
 * says a secret is set; leaving it empty keeps it.
 */
export function ChannelFormDialog({ pcode, channel, onClose }: { pcode: string; channel: AlertChannel | null; onClose: () => void }) {
  const [v, setValues] = useState<ChannelFormValues>(() => (channel ? channelToForm(channel) : emptyChannelForm()));
  const [errors, setErrors, clearError] = useFieldErrors<ChannelField>();
  const [formError, setFormError] = useState<unknown>(null);
  const create = useCreateAlertChannel(pcode);
  const update = useUpdateAlertChannel(pcode);
  const busy = create.isPending || update.isPending;

  function set<K extends keyof ChannelFormValues>(key: K, value: ChannelFormValues[K], field?: ChannelField) {
    setValues((old) => ({ ...old, [key]: value }));
    if (field) clearError(field);
  }

  function onError(error: unknown) {
    const field = apiErrorField(error, CHANNEL_FIELDS);
    if (field) {
      setErrors({ [field]: (error as Error).message });
      setFormError(null);
    } else setFormError(error);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    if (channel) update.mutate({ id: channel.id, patch: formToUpdate(v) }, { onSuccess: onClose, onError });
    else create.mutate(formToCreate(v), { onSuccess: onClose, onError });
  }

  const secretHint = channel?.kind === 'webhook' && channel.secretSet ? channel.secretHint : null;
  return (
    <Dialog
      open
      onClose={onClose}
      busy={busy}
      width={600}
      title={channel ? `Edit channel “${channel.name}”` : 'New channel'}
      footer={
        <FormDialogFooter form="alert-channel-form" submitLabel={channel ? 'Save channel' : 'Add channel'} busy={busy} onCancel={onClose} />
      }
    >
      <form id="alert-channel-form" className="form-stack" aria-label="Channel" onSubmit={onSubmit} noValidate>
        {formError != null && <ErrorBanner error={formError} />}
        <Field label="Type" error={errors.kind} hint={channel ? 'The type of a channel cannot change.' : undefined}>
          {(p) => (
            <Select {...p} value={v.kind} disabled={channel !== null} onChange={(e) => set('kind', e.target.value as AlertChannelKind, 'kind')}>
              {(Object.keys(KIND_LABEL) as AlertChannelKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Name" error={errors.name}>
          {(p) => <TextInput {...p} value={v.name} maxLength={80} placeholder="On-call" onChange={(e) => set('name', e.target.value, 'name')} />}
        </Field>
        {v.kind === 'webhook' && (
          <>
            <Field label="URL" error={errors.url} hint="Tapscope POSTs the incident as JSON (docs/alerts.md).">
              {(p) => (
                <TextInput {...p} type="url" value={v.url} placeholder="https://ops.example.com/hooks/tapscope" onChange={(e) => set('url', e.target.value, 'url')} />
              )}
            </Field>
            <Field
              label="Signing secret"
              error={errors.secret}
              optional={secretHint !== null}
              hint={
                secretHint
                  ? `A secret is set (${secretHint}). Leave empty to keep it. It is never shown again.`
                  : 'At least 16 characters. Each body is signed with HMAC-SHA256 in X-Tapscope-Signature. It is never shown again.'
              }
            >
              {(p) => (
                <TextInput
                  {...p}
                  type="password"
                  autoComplete="new-password"
                  value={v.secret}
                  placeholder={secretHint ? 'set' : ''}
                  onChange={(e) => set('secret', e.target.value, 'secret')}
                />
              )}
            </Field>
          </>
        )}
        {v.kind === 'slack' && (
          <Field
            label="Incoming webhook URL"
            error={errors.url}
            optional={channel?.kind === 'slack'}
            hint={
              channel?.kind === 'slack'
                ? `Set (${channel.urlHint}). The URL is a credential: leave empty to keep it.`
                : 'Slack, Mattermost or Rocket.Chat incoming webhook. It is a credential: never shown again in full.'
            }
          >
            {(p) => (
              <TextInput
                {...p}
                type="password"
                autoComplete="off"
                value={v.url}
                placeholder={channel?.kind === 'slack' ? 'set' : 'https://hooks.slack.com/services/…'}
                onChange={(e) => set('url', e.target.value, 'url')}
              />
            )}
          </Field>
        )}
        {v.kind === 'email' && (
          <>
            <Field label="Recipients" error={errors.to} hint="Addresses separated by commas.">
              {(p) => <TextInput {...p} value={v.to} placeholder="oncall@example.com" onChange={(e) => set('to', e.target.value, 'to')} />}
            </Field>
            <label className="check-item">
              <input type="checkbox" checked={v.useSmtp} onChange={(e) => set('useSmtp', e.target.checked, 'smtp')} />
              Use this channel’s own SMTP server (otherwise the collector’s <code>alerts.smtp</code> settings)
            </label>
            {errors.smtp && <p className="field-error">{errors.smtp}</p>}
            {v.useSmtp && (
              <div className="form-stack smtp-box">
                <div className="form-row">
                  <Field label="SMTP host" error={errors['smtp.host']}>
                    {(p) => <TextInput {...p} value={v.smtpHost} onChange={(e) => set('smtpHost', e.target.value, 'smtp.host')} />}
                  </Field>
                  <Field label="Port" error={errors['smtp.port']}>
                    {(p) => <TextInput {...p} inputMode="numeric" value={v.smtpPort} onChange={(e) => set('smtpPort', e.target.value, 'smtp.port')} />}
                  </Field>
                  <Field label="Security" error={errors['smtp.security']}>
                    {(p) => (
                      <Select {...p} value={v.smtpSecurity} onChange={(e) => set('smtpSecurity', e.target.value as ChannelFormValues['smtpSecurity'], 'smtp.security')}>
                        <option value="starttls">STARTTLS (587)</option>
                        <option value="tls">TLS (465)</option>
                        <option value="none">None (local relay)</option>
                      </Select>
                    )}
                  </Field>
                </div>
                <div className="form-row">
                  <Field label="Username" optional error={errors['smtp.username']}>
                    {(p) => <TextInput {...p} autoComplete="off" value={v.smtpUsername} onChange={(e) => set('smtpUsername', e.target.value, 'smtp.username')} />}
                  </Field>
                  <Field
                    label="Password"
                    optional
                    error={errors['smtp.password']}
                    hint={channel?.kind === 'email' && channel.smtp?.passwordSet ? 'A password is set. Leave empty to keep it.' : undefined}
                  >
                    {(p) => (
                      <TextInput
                        {...p}
                        type="password"
                        autoComplete="new-password"
                        value={v.smtpPassword}
                        placeholder={channel?.kind === 'email' && channel.smtp?.passwordSet ? 'set' : ''}
                        onChange={(e) => set('smtpPassword', e.target.value, 'smtp.password')}
                      />
                    )}
                  </Field>
                </div>
                <Field label="From" error={errors['smtp.from']}>
                  {(p) => <TextInput {...p} value={v.smtpFrom} placeholder="tapscope@example.com" onChange={(e) => set('smtpFrom', e.target.value, 'smtp.from')} />}
                </Field>
              </div>
            )}
          </>
        )}
        <label className="check-item">
          <input type="checkbox" checked={v.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          Enabled
        </label>
      </form>
    </Dialog>
  );
}
