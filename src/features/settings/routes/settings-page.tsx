import { Card, PageHeader } from '../../../components/page';
import { useCurrentProject } from '../../../lib/current-project';
import { DeleteProject } from '../components/delete-project';
import { GeneralForm } from '../components/general-form';
import { MembersCard } from '../components/members-card';
import './settings.css';

export default function SettingsPage() {
  const project = useCurrentProject();
  const isOwner = project.role === 'owner';
  return (
    <div className="page-narrow">
      <PageHeader title="Settings" description={`Name, time zone and members of ${project.name}.`} />
      <Card title="General" description={isOwner ? undefined : 'Only project owners can change these settings.'}>
        <GeneralForm project={project} canEdit={isOwner} />
      </Card>
      <Card title="Members" description="People who can see this project.">
        <MembersCard project={project} />
      </Card>
      <Card title="Danger zone" tone="danger">
        <DeleteProject project={project} />
      </Card>
    </div>
  );
}
