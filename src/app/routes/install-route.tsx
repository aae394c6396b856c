import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CreatedLicense } from '../../api/licenses';
import { ErrorBanner } from '../../components/error-banner';
import { Card, PageHeader } from '../../components/page';
import { InstallGuide } from '../../features/install/components/install-guide';
import { IssueKeyPanel } from '../../features/licenses/components/issue-key-panel';
import { LicenseTable } from '../../features/licenses/components/license-table';
import { useCurrentProject } from '../../lib/current-project';
import { regionsQueryOptions } from '../../lib/project-queries';

/**
 * Install & keys: issue a key, follow the guide filled in with it, manage the keys.
 * Composed here because it joins two features (licenses and install); the new key is
 * held in this page's state only, so it is shown once.
 */
export default function InstallRoute() {
  const project = useCurrentProject();
  const regions = useQuery(regionsQueryOptions());
  const [issued, setIssued] = useState<CreatedLicense | null>(null);
  const region = regions.data?.find((r) => r.id === project.region);
  const canManage = project.role !== 'viewer';

  return (
    <div className="page-narrow">
      <PageHeader
        title="Install & keys"
        description="Issue a license key, then install the Python agent on your servers. The agent sends transactions and counters to this project’s data region."
      />
      <Card
        id="issue-key"
        title="License key"
        description="Agents authenticate with a license key. Issue one per environment so you can revoke it on its own."
      >
        <IssueKeyPanel pcode={project.pcode} canManage={canManage} issued={issued} onIssued={setIssued} />
      </Card>
      <Card id="install-guide" title="Install the agent" description="Run these on each server that runs the app.">
        {regions.isError && (
          <ErrorBanner title="Could not load the region" error={regions.error} onRetry={() => regions.refetch()} />
        )}
        <InstallGuide pcode={project.pcode} licenseKey={issued?.key ?? null} region={region} />
      </Card>
      <Card id="license-keys" title="License keys" description="Only a key’s prefix is kept visible. Revoke a key to refuse the agents that use it." padded={false}>
        <LicenseTable pcode={project.pcode} timezone={project.timezone} canManage={canManage} />
      </Card>
    </div>
  );
}
