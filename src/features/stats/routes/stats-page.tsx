// Placeholder owned by the stats feature engineer; the router lazy-loads this default export.
export default function StatsPage() {
  return <p>Statistics are being built.</p>;
}
