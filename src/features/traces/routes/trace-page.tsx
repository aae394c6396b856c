import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { ErrorBanner } from '../../../components/error-banner';
import { EmptyState } from '../../../components/empty-state';
import { Card, PageHeader } from '../../../components/page';
import { LoadingState } from '../../../components/spinner';
import { useCurrentProject } from '../../../lib/current-project';
import { formatCount, formatDuration } from '../../../lib/format';
import { paths } from '../../../lib/paths';
import { useTrace } from '../api/get-trace';
import { TraceWaterfall } from '../components/trace-waterfall';
import { traceAxis } from '../lib/trace-timeline';
import '../traces.css';

/** One trace across services, opened from a profile ("View the whole trace") or by its URL. */
export default function TracePage() {
  const { pcode } = useCurrentProject();
  const { traceId = '' } = useParams();
  const { hash } = useLocation();
  const query = useTrace(traceId);

  if (query.isPending) return <LoadingState label="Loading the trace…" />;
  if (query.error) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <EmptyState
          title="Trace not found"
          description="This trace was not found, or you cannot see any of its services."
          action={<Link to={paths.hitmap(pcode)}>Go to the hitmap</Link>}
        />
      );
    }
    return <ErrorBanner error={query.error} title="The trace could not be loaded" onRetry={() => void query.refetch()} />;
  }

  const { nodes } = query.data;
  const axis = traceAxis(nodes);
  const services = new Set(nodes.map((n) => (n.hidden ? `hidden:${n.id}` : `${n.pcode}/${n.objectName}`))).size;

  return (
    <div className="trace-page">
      <p className="trace-back">
        <Link to={paths.hitmap(pcode)}>← Back to the hitmap</Link>
      </p>
      <PageHeader
        title="Trace"
        description={
          <>
            {formatCount(nodes.length, 'transaction')} on {formatCount(services, 'service')} over {formatDuration(axis.span)} ·{' '}
            <span className="trace-id">{query.data.traceId}</span>
          </>
        }
      />
      <Card title="Waterfall" description="Each transaction on the trace’s time axis, under the service that called it. Expand one to see its HTTP calls." padded={false}>
        <TraceWaterfall key={query.data.traceId} nodes={nodes} initialAnchor={hash.length > 1 ? decodeURIComponent(hash.slice(1)) : null} />
      </Card>
    </div>
  );
}
