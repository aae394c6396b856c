import type { ReactNode } from 'react';
import type { TransactionProfile } from '../../../api/transactions';
import { formatZoned } from '../../../lib/time-format';
import { formatDuration, formatNumber } from '../../../lib/format';

type Tx = TransactionProfile['transaction'];

/** The transaction at a glance: every field shown as text (URLs and agents' strings are untrusted). */
export function TransactionSummary({ tx, timeZone }: { tx: Tx; timeZone: string }) {
  const rows: Array<[string, ReactNode]> = [
    ['Agent', tx.objectName],
    ['Status', <span className={tx.error || tx.status >= 500 ? 'status status--error' : tx.status >= 400 ? 'status status--warn' : 'status'}>{tx.status}</span>],
    ['Start', <span className="mono">{formatZoned(tx.start, timeZone)}</span>],
    ['End', <span className="mono">{formatZoned(tx.end, timeZone)}</span>],
    ['Elapsed', formatDuration(tx.elapsed)],
    ['CPU', formatDuration(tx.cpu)],
    ['SQL', `${formatNumber(tx.sqlCount)} ${tx.sqlCount === 1 ? 'statement' : 'statements'} · ${formatDuration(tx.sqlTime)}`],
    ['HTTP calls', `${formatNumber(tx.httpcCount)} ${tx.httpcCount === 1 ? 'call' : 'calls'} · ${formatDuration(tx.httpcTime)}`],
    ['Client IP', <span className="mono">{tx.clientIp || '—'}</span>],
    ['User agent', tx.userAgent || '—'],
    ['Transaction ID', <span className="mono">{tx.txid}</span>],
  ];
  return (
    <dl className="tx-summary">
      {rows.map(([k, v]) => (
        <div key={k} className="tx-summary__item">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The error of a transaction: class, message and the stack in a <pre>. */
export function TransactionError({ tx }: { tx: Tx }) {
  if (!tx.error && !tx.errorMessage) return null;
  return (
    <div className="tx-error-box" role="group" aria-label="Error">
      <p className="tx-error-box__title">
        <strong>{tx.error ?? 'Error'}</strong>
        {tx.errorMessage && `: ${tx.errorMessage}`}
      </p>
      {tx.errorStack && <pre className="tx-stack">{tx.errorStack}</pre>}
    </div>
  );
}
