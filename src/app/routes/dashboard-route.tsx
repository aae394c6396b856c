import DashboardPage from '../../features/dashboard/routes/dashboard-page';
import { LiveHitmapCard } from '../../features/hitmap/components/live-hitmap-card';
import { useCurrentProject } from '../../lib/current-project';

/** The dashboard with the hitmap feature's live card: composed here because it joins two features. */
export default function DashboardRoute() {
  const { pcode, timezone } = useCurrentProject();
  return <DashboardPage liveHitmap={<LiveHitmapCard pcode={pcode} timeZone={timezone} />} />;
}
