// Placeholder owned by the agents feature engineer; the router lazy-loads this default export.
export default function AgentsPage() {
  return <p>The agent list is being built.</p>;
}
