import type { Agent } from '../../../api/agents';
import { Badge } from '../../../components/page';
import { formatNumber } from '../../../lib/format';

export const DROP_REASON = 'agent buffer full during a collector outage';

/**
 * Transactions an agent served but could not send, over the last hour (or else the last day);
 * nothing at all when it lost none, so a healthy list stays quiet.
 */
export function AgentDrops({ dropped }: { dropped: Agent['dropped'] }) {
  if (dropped.day <= 0) return null;
  const [count, span] = dropped.hour > 0 ? [dropped.hour, '1 h'] : [dropped.day, '24 h'];
  const detail = `${formatNumber(dropped.hour)} in the last hour, ${formatNumber(dropped.day)} in the last 24 hours`;
  return (
    <span className="agent-drops" title={`Not recorded: ${DROP_REASON}. ${detail}.`}>
      <Badge tone="danger">{formatNumber(count)} not recorded</Badge>
      <span className="cell-sub">last {span} · buffer full</span>
    </span>
  );
}
