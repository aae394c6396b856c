// Placeholder owned by the hitmap feature engineer; the router lazy-loads this default export.
export default function HitmapPage() {
  return <p>The hitmap is being built.</p>;
}
