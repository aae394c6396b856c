import { Link } from 'react-router';
import type { Step } from '../../../api/transactions';
import { LockIcon } from '../../../components/lock-icon';
import { formatCount } from '../../../lib/format';
import { fillSqlParams, formatSql, sqlLiteral } from '../lib/format-sql';

/** What the security key revealed, as the steps need it. */
export interface StepReveal {
  values: ReadonlyMap<string, unknown>;
  failed: ReadonlySet<string>;
}

export const KIND_LABEL: Record<Step['kind'], string> = {
  sql: 'SQL',
  httpc: 'HTTP',
  method: 'Method',
  message: 'Message',
  error: 'Error',
  dbc: 'DB connect',
  truncated: 'Truncated',
};

/** The SQL of a step with its bind values filled in when they are revealed (one line or formatted). */
export function stepSql(step: Step, reveal: StepReveal, formatted: boolean): string {
  const values = step.params ? reveal.values.get(step.params) : undefined;
  const sql = Array.isArray(values) ? fillSqlParams(step.text, values) : step.text;
  return formatted ? formatSql(sql) : sql.replace(/\s+/g, ' ');
}

function BindValues({ step, reveal }: { step: Step; reveal: StepReveal }) {
  if (!step.params) return null;
  if (reveal.failed.has(step.params)) return <span className="step-locked">cannot be decrypted with this key</span>;
  if (!reveal.values.has(step.params)) {
    return (
      <span className="step-locked">
        <LockIcon /> bind values encrypted
      </span>
    );
  }
  const values = reveal.values.get(step.params);
  const list = Array.isArray(values) ? values : values && typeof values === 'object' ? Object.entries(values) : [values];
  return (
    <span className="step-binds" aria-label="Bind values">
      {list.map((v, i) => (
        <code key={i}>{Array.isArray(v) && !Array.isArray(values) ? `${String(v[0])}=${sqlLiteral(v[1])}` : sqlLiteral(v)}</code>
      ))}
    </span>
  );
}

/** A masked error's original text, sealed by the agent in a message step's parameters. */
function OriginalText({ step, reveal }: { step: Step; reveal: StepReveal }) {
  if (reveal.failed.has(step.params!)) return <div className="step-locked">cannot be decrypted with this key</div>;
  const values = reveal.values.get(step.params!) as { error?: unknown } | undefined;
  if (!values) {
    return (
      <div className="step-locked">
        <LockIcon /> original text encrypted
      </div>
    );
  }
  return (
    <pre className="step-error-text" aria-label="Original error text">
      {typeof values.error === 'string' ? values.error : JSON.stringify(values)}
    </pre>
  );
}

/**
 * Where a traced HTTP call is shown in its trace (the trace view names and links its callee),
 * by the span id the call sent; absent when the transaction was not traced.
 */
export type CallHref = (spanId: string) => string;

/** The content of one step, as text only (trace data is untrusted). */
export function StepContent({ step, reveal, callHref }: { step: Step; reveal: StepReveal; callHref?: CallHref }) {
  switch (step.kind) {
    case 'sql':
      return (
        <div className="step-sql">
          <pre className="sql">{stepSql(step, reveal, true)}</pre>
          <div className="step-meta">
            <BindValues step={step} reveal={reveal} />
            {step.fetch !== null && step.fetch !== undefined && <span>fetched {formatCount(step.fetch, 'row')}</span>}
            {step.error && <span className="step-error-text">{step.error}</span>}
          </div>
        </div>
      );
    case 'httpc':
      return (
        <div>
          <span className="step-text">{step.text}</span>
          {step.status !== null && step.status !== undefined && (
            <span className={step.status >= 400 ? 'status status--error' : 'status'}> → {step.status}</span>
          )}
          {step.error && <span className="step-error-text"> {step.error}</span>}
          {step.spanId && callHref && (
            <Link className="step-trace-link" to={callHref(step.spanId)}>
              Callee in the trace
            </Link>
          )}
        </div>
      );
    case 'error':
      return (
        <div className="step-error-text">
          <strong>{step.text}</strong>
          {step.error && `: ${step.error}`}
        </div>
      );
    case 'message':
      return (
        <div>
          <span className="step-text">{step.text}</span>
          {step.params && <OriginalText step={step} reveal={reveal} />}
        </div>
      );
    default:
      return <span className="step-text">{step.text}</span>;
  }
}
