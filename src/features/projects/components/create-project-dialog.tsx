import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { createProjectRequestSchema } from '../../../api/projects';
import { paths } from '../../../lib/paths';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { ErrorBanner, errorMessage } from '../../../components/error-banner';
import { Field, Select, TextInput } from '../../../components/form-field';
import { TimeZoneSelect } from '../../../components/time-zone-select';
import { splitApiError, useFieldErrors, zodFieldErrors } from '../../../lib/form-errors';
import { regionsQueryOptions } from '../../../lib/project-queries';
import { browserTimeZone } from '../../../lib/time-format';
import { useCreateProject } from '../api/create-project';

type ProjectField = 'name' | 'region' | 'group' | 'timezone';
const FIELDS: readonly ProjectField[] = ['name', 'region', 'group', 'timezone'];

/** Name, data region, group and time zone of a new project; then on to its install page. */
export function CreateProjectDialog({
  open,
  onClose,
  groups,
}: {
  open: boolean;
  onClose: () => void;
  /** Existing group names, offered as suggestions. */
  groups: readonly string[];
}) {
  const formId = useId();
  const groupListId = useId();
  const navigate = useNavigate();
  const regions = useQuery({ ...regionsQueryOptions(), enabled: open });
  const create = useCreateProject();
  const [name, setName] = useState('');
  const [regionChoice, setRegionChoice] = useState('');
  const [group, setGroup] = useState('');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [errors, setErrors, clearError] = useFieldErrors<ProjectField>();
  const [formError, setFormError] = useState<unknown>(null);

  // Until the user picks one, the first configured region is the choice.
  const region = regionChoice || regions.data?.[0]?.id || '';
  const selectedRegion = regions.data?.find((r) => r.id === region);

  function close() {
    if (create.isPending) return;
    setErrors({});
    setFormError(null);
    create.reset();
    onClose();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const parsed = createProjectRequestSchema.safeParse({ name, region, group, timezone });
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error));
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: (project) => navigate(paths.install(project.pcode)),
      onError: (error) => {
        const split = splitApiError(error, FIELDS);
        setErrors(split.fieldErrors);
        setFormError(split.formError);
      },
    });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create project"
      description="A project collects the transactions, agents and statistics of one application."
      busy={create.isPending}
      width={520}
      footer={
        <>
          <Button onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="primary" loading={create.isPending}>
            Create project
          </Button>
        </>
      }
    >
      <form id={formId} className="form-stack" onSubmit={onSubmit} noValidate>
        {formError != null && <ErrorBanner error={formError} />}
        <Field label="Project name" error={errors.name}>
          {(p) => (
            <TextInput
              {...p}
              name="name"
              value={name}
              maxLength={80}
              onChange={(e) => {
                setName(e.target.value);
                clearError('name');
              }}
            />
          )}
        </Field>
        <Field
          label="Data region"
          error={errors.region ?? (regions.isError ? errorMessage(regions.error) : undefined)}
          hint={
            selectedRegion
              ? `Agents send data to ${selectedRegion.ingest.join(', ')}. The region cannot be changed later.`
              : 'Where the collector stores this project’s data.'
          }
        >
          {(p) => (
            <div className="inline-control">
              <Select
                {...p}
                name="region"
                value={region}
                disabled={!regions.data}
                onChange={(e) => {
                  setRegionChoice(e.target.value);
                  clearError('region');
                }}
              >
                {regions.isPending && <option value="">Loading regions…</option>}
                {regions.data?.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} — {r.ingest.join(', ')}
                  </option>
                ))}
              </Select>
              {regions.isError && (
                <Button size="sm" onClick={() => regions.refetch()}>
                  Retry
                </Button>
              )}
            </div>
          )}
        </Field>
        <Field label="Group" optional error={errors.group} hint="Projects with the same group are listed together.">
          {(p) => (
            <>
              <TextInput
                {...p}
                name="group"
                list={groupListId}
                value={group}
                maxLength={80}
                onChange={(e) => {
                  setGroup(e.target.value);
                  clearError('group');
                }}
              />
              <datalist id={groupListId}>
                {groups.map((g) => (
                  <option key={g} value={g} />
                ))}
              </datalist>
            </>
          )}
        </Field>
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
              onChange={(e) => {
                setTimezone(e.target.value);
                clearError('timezone');
              }}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
