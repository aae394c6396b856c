import { LockIcon } from '../../../components/lock-icon';
import type { StepReveal } from './step-content';

function valueText(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The HTTP query/form parameters of the transaction: locked until the key reveals them. */
export function HttpParams({ envelope, reveal }: { envelope: string | null; reveal: StepReveal }) {
  if (!envelope) {
    return <p className="text-muted params-none">No HTTP parameters were recorded (profile_http_parameter_enabled is off, or there were none).</p>;
  }
  if (reveal.failed.has(envelope)) return <p className="step-locked">These parameters cannot be decrypted with this key.</p>;
  if (!reveal.values.has(envelope)) {
    return (
      <p className="step-locked">
        <LockIcon /> HTTP parameters encrypted
      </p>
    );
  }
  const value = reveal.values.get(envelope);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return <pre className="params-raw">{JSON.stringify(value, null, 2)}</pre>;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return <p className="text-muted params-none">No parameters.</p>;
  return (
    <table className="table table-compact params-table" aria-label="HTTP parameters">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, v]) => (
          <tr key={name}>
            <td className="mono">{name}</td>
            <td className="mono">{valueText(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
