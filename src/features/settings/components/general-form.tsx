import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { updateProjectRequestSchema, type Project } from '../../../api/projects';
import { Button } from '../../../components/button';
import { Banner, ErrorBanner } from '../../../components/error-banner';
import { Field, TextInput } from '../../../components/form-field';
import { TimeZoneSelect } from '../../../components/time-zone-select';
import { splitApiError, useFieldErrors, zodFieldErrors } from '../../../lib/form-errors';
import { regionsQueryOptions } from '../../../lib/project-queries';
import { useUpdateProject } from '../api/update-project';

type GeneralField = 'name' | 'group' | 'timezone';

/** Name, group and time zone; the region is fixed because the data lives there. */
export function GeneralForm({ project, canEdit }: { project: Project; canEdit: boolean }) {
  const update = useUpdateProject(project.pcode);
  const regions = useQuery(regionsQueryOptions());
  const [name, setName] = useState(project.name);
  const [group, setGroup] = useState(project.group);
  const [timezone, setTimezone] = useState(project.timezone);
  const [errors, setErrors, clearError] = useFieldErrors<GeneralField>();
  const [formError, setFormError] = useState<unknown>(null);
  const region = regions.data?.find((r) => r.id === project.region);

  const changed = name !== project.name || group !== project.group || timezone !== project.timezone;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = updateProjectRequestSchema.safeParse({ name, group, timezone });
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error));
      return;
    }
    setErrors({});
    update.mutate(parsed.data, {
      onError: (error) => {
        const split = splitApiError(error, ['name', 'group', 'timezone'] as const);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }

  return (
    <form className="form-stack" onSubmit={onSubmit} noValidate>
      {formError != null && <ErrorBanner error={formError} />}
      {update.isSuccess && !changed && <Banner tone="success">Project settings saved.</Banner>}
      <div className="form-row">
        <Field label="Project name" error={errors.name}>
          {(p) => (
            <TextInput
              {...p}
              name="name"
              value={name}
              maxLength={80}
              disabled={!canEdit}
              onChange={(e) => {
                setName(e.target.value);
                clearError('name');
              }}
            />
          )}
        </Field>
        <Field label="Group" optional error={errors.group}>
          {(p) => (
            <TextInput
              {...p}
              name="group"
              value={group}
              maxLength={80}
              disabled={!canEdit}
              onChange={(e) => {
                setGroup(e.target.value);
                clearError('group');
              }}
            />
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field
          label="Time zone"
          error={errors.timezone}
          hint="Dates and charts of this project are shown in this time zone."
        >
          {(p) => (
            <TimeZoneSelect
              {...p}
              name="timezone"
              value={timezone}
              disabled={!canEdit}
              onChange={(e) => {
                setTimezone(e.target.value);
                clearError('timezone');
              }}
            />
          )}
        </Field>
        <Field label="Data region" hint="The region cannot be changed: the project’s data is stored there.">
          {(p) => (
            <TextInput
              {...p}
              readOnly
              disabled
              value={region ? `${region.name} — ${region.ingest.join(', ')}` : project.region}
            />
          )}
        </Field>
      </div>
      <div className="settings-meta text-muted">
        Project code <code>{project.pcode}</code>
      </div>
      {canEdit && (
        <div className="form-actions">
          <Button
            disabled={!changed || update.isPending}
            onClick={() => {
              setName(project.name);
              setGroup(project.group);
              setTimezone(project.timezone);
              setErrors({});
            }}
          >
            Discard changes
          </Button>
          <Button type="submit" variant="primary" loading={update.isPending} disabled={!changed}>
            Save changes
          </Button>
        </div>
      )}
    </form>
  );
}
