// Placeholder owned by the transactions feature engineer; the router lazy-loads this default export.
export default function TransactionPage() {
  return <p>The transaction profile is being built.</p>;
}
