// Placeholder owned by the dashboard feature engineer; the router lazy-loads this default export.
export default function DashboardPage() {
  return <p>The dashboard is being built.</p>;
}
