import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Project } from '../../../api/projects';
import { paths } from '../../../lib/paths';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { ErrorBanner } from '../../../components/error-banner';
import { Field, TextInput } from '../../../components/form-field';
import { useDeleteProject } from '../api/delete-project';

/** Deleting asks for the project's name, because it removes all of its data for good. */
export function DeleteProject({ project }: { project: Project }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useDeleteProject(project.pcode, () => navigate(paths.projects, { replace: true }));
  const matches = typed.trim() === project.name.trim();

  function close() {
    if (remove.isPending) return;
    setOpen(false);
    setTyped('');
    remove.reset();
  }

  return (
    <div className="danger-row">
      <div>
        <strong>Delete this project</strong>
        <p className="text-muted">
          Removes the project with all of its data: transactions, counters, statistics, agents and license keys.
        </p>
      </div>
      <Button variant="danger" onClick={() => setOpen(true)} disabled={project.role !== 'owner'}>
        Delete project
      </Button>
      <Dialog
        open={open}
        onClose={close}
        busy={remove.isPending}
        title={`Delete ${project.name}?`}
        description={
          <>
            <p>
              This permanently removes all data of <strong>{project.name}</strong>: every transaction, counter and
              statistic, its agents and its license keys. Agents still running with its keys will be refused.
            </p>
            <p>This cannot be undone.</p>
          </>
        }
        footer={
          <>
            <Button onClick={close} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button variant="danger" disabled={!matches} loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete project
            </Button>
          </>
        }
      >
        {remove.isError && <ErrorBanner error={remove.error} />}
        <Field label={`Type “${project.name}” to confirm`}>
          {(p) => (
            <TextInput
              {...p}
              name="confirm-name"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          )}
        </Field>
      </Dialog>
    </div>
  );
}
