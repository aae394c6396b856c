import { useState, type FormEvent } from 'react';
import { createLicenseRequestSchema, type CreatedLicense } from '../../../api/licenses';
import { Button } from '../../../components/button';
import { CopyButton } from '../../../components/copy-button';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, TextInput } from '../../../components/form-field';
import { splitApiError, zodFieldErrors } from '../../../lib/form-errors';
import { useIssueLicense } from '../api/issue-license';
import './licenses.css';

/**
 * Issues a license key and shows the full key once. The key lives only in the caller's
 * state: leaving the page forgets it, and the server keeps only a hash.
 */
export function IssueKeyPanel({
  pcode,
  canManage,
  issued,
  onIssued,
}: {
  pcode: string;
  canManage: boolean;
  issued: CreatedLicense | null;
  onIssued: (created: CreatedLicense | null) => void;
}) {
  const issue = useIssueLicense(pcode);
  const [label, setLabel] = useState('');
  const [labelError, setLabelError] = useState<string | undefined>();
  const [formError, setFormError] = useState<unknown>(null);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = createLicenseRequestSchema.safeParse({ label });
    if (!parsed.success) {
      setLabelError(zodFieldErrors<'label'>(parsed.error).label);
      return;
    }
    setLabelError(undefined);
    issue.mutate(parsed.data, {
      onSuccess: (created) => {
        setLabel('');
        onIssued(created);
      },
      onError: (error) => {
        const split = splitApiError(error, ['label'] as const);
        setLabelError(split.fieldErrors.label);
        setFormError(split.formError);
      },
    });
  }

  if (!canManage) {
    return (
      <p className="text-muted">
        Viewers cannot issue license keys. Ask a project owner or member for a key.
      </p>
    );
  }

  return (
    <div className="issue-key">
      {formError != null && <ErrorBanner error={formError} />}
      <form className="issue-key-form" onSubmit={onSubmit} noValidate>
        <Field label="Label" optional error={labelError} hint="Say where the key is used, e.g. “production web servers”.">
          {(p) => (
            <TextInput {...p} name="label" value={label} maxLength={80} placeholder="e.g. production" onChange={(e) => setLabel(e.target.value)} />
          )}
        </Field>
        <Button type="submit" variant="primary" loading={issue.isPending}>
          Issue license key
        </Button>
      </form>
      {issued && <IssuedKey created={issued} onDismiss={() => onIssued(null)} />}
    </div>
  );
}

function IssuedKey({ created, onDismiss }: { created: CreatedLicense; onDismiss: () => void }) {
  return (
    <section className="issued-key" aria-label="New license key">
      <div className="issued-key-head">
        <strong>New license key{created.license.label ? ` — ${created.license.label}` : ''}</strong>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Done
        </Button>
      </div>
      <div className="issued-key-row">
        <code className="issued-key-value" data-testid="issued-key">
          {created.key}
        </code>
        <CopyButton text={created.key} label="Copy key" variant="primary" size="md" />
      </div>
      <p className="issued-key-warning" role="note">
        Copy this key now. It will not be shown again: Tapscope keeps only a hash of it. The install guide below
        already uses it.
      </p>
    </section>
  );
}
