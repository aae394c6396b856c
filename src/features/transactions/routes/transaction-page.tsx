import { useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { paths } from '../../../lib/paths';
import { ErrorBanner } from '../../../components/error-banner';
import { EmptyState } from '../../../components/empty-state';
import { Card, PageHeader } from '../../../components/page';
import { LoadingState } from '../../../components/spinner';
import { Tabs } from '../../../components/tabs';
import { ApiError } from '../../../api/client';
import { useCurrentProject } from '../../../lib/current-project';
import { formatDuration, formatNumber } from '../../../lib/format';
import { SecurityKeyForm } from '../components/security-key-form';
import { useRevealedParams } from '../../../lib/use-revealed-params';
import { useTransaction } from '../api/get-transaction';
import { HttpParams } from '../components/http-params';
import { StepSummary } from '../components/step-summaries';
import { StepsTable } from '../components/steps-table';
import { StepsWaterfall } from '../components/steps-waterfall';
import { TransactionError, TransactionSummary } from '../components/transaction-summary';
import '../transactions.css';

export default function TransactionPage() {
  const { pcode, timezone } = useCurrentProject();
  const { txid = '' } = useParams();
  const location = useLocation();
  const query = useTransaction(pcode, txid);
  const [view, setView] = useState('table');
  const profile = query.data;

  const envelopes = useMemo(() => {
    if (!profile) return [];
    const list: string[] = [];
    if (profile.transaction.params) list.push(profile.transaction.params);
    for (const s of profile.steps) if (s.params) list.push(s.params);
    return list;
  }, [profile]);
  const reveal = useRevealedParams(envelopes);

  const fromState = (location.state as { from?: unknown } | null)?.from;
  const backHref = typeof fromState === 'string' && fromState.startsWith('/') ? fromState : paths.hitmap(pcode);

  if (query.isPending) return <LoadingState label="Loading the transaction…" />;
  if (query.error) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <EmptyState
          title="Transaction not found"
          description="It may be older than the retention period, or the link is wrong."
          action={<Link to={backHref}>Back to the hitmap</Link>}
        />
      );
    }
    return <ErrorBanner error={query.error} title="The transaction could not be loaded" onRetry={() => void query.refetch()} />;
  }

  const tx = profile!.transaction;
  const steps = profile!.steps;
  const traceId = tx.traceId;
  const callHref = traceId ? (spanId: string) => paths.trace(pcode, traceId, spanId) : undefined;
  const sqlSteps = steps.filter((s) => s.kind === 'sql').length;
  const httpSteps = steps.filter((s) => s.kind === 'httpc').length;

  return (
    <div className="tx-page">
      <p className="tx-back">
        <Link to={backHref}>← Back to the hitmap</Link>
      </p>
      <PageHeader
        title={
          <span className="tx-title">
            <span className="tx-method">{tx.method}</span> <span className="tx-title__url">{tx.url}</span>
          </span>
        }
        description={`${formatDuration(tx.elapsed)} on ${tx.objectName}${tx.error ? ` · ${tx.error}` : ''}`}
        actions={traceId && <Link to={paths.trace(pcode, traceId)}>View the whole trace</Link>}
      />

      <Card title="Summary">
        <TransactionSummary tx={tx} timeZone={timezone} />
        <TransactionError tx={tx} />
      </Card>

      <Card title="Parameters" description="HTTP parameters and SQL bind values, encrypted by the agent with its security key.">
        <div className="tx-params">
          <SecurityKeyForm reveal={reveal} count={envelopes.length} />
          <h3 className="tx-subtitle">HTTP parameters</h3>
          <HttpParams envelope={tx.params} reveal={reveal} />
        </div>
      </Card>

      <Card title={`Steps (${formatNumber(steps.length)})`} padded={false}>
        {steps.length === 0 ? (
          <p className="text-muted steps-none">This transaction recorded no steps.</p>
        ) : (
          <Tabs
            label="Step views"
            selected={view}
            onSelect={setView}
            items={[
              { id: 'table', label: 'Table', content: <StepsTable steps={steps} reveal={reveal} callHref={callHref} /> },
              { id: 'tree', label: 'Tree', content: <StepsWaterfall steps={steps} total={tx.elapsed} reveal={reveal} /> },
              { id: 'sql', label: `SQL summary (${formatNumber(sqlSteps)})`, content: <StepSummary steps={steps} kind="sql" /> },
              { id: 'httpc', label: `HTTP calls (${formatNumber(httpSteps)})`, content: <StepSummary steps={steps} kind="httpc" /> },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
