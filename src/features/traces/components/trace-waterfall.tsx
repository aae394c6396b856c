import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { TraceCall, TraceNode, VisibleTraceNode } from '../../../api/traces';
import { formatDuration } from '../../../lib/format';
import { paths, traceCallAnchor } from '../../../lib/paths';
import { barPlacement, calleesOf, nodeAnchor, traceAxis, type TraceAxis } from '../lib/trace-timeline';

const INDENT = 20;
const HIDDEN_LABEL = 'a service in a project you cannot see';

const offsetLabel = (ms: number) => `+${formatDuration(ms)}`;

function Bar({ axis, offset, elapsed, tone }: { axis: TraceAxis; offset: number; elapsed: number; tone: string }) {
  const { left, width } = barPlacement(axis, offset, elapsed);
  return (
    <div className="trace-track" aria-hidden="true">
      <div className={`trace-bar trace-bar--${tone}`} style={{ left: `${left}%`, width: `${width}%` }} />
    </div>
  );
}

function Status({ status, error }: { status: number | null; error: string | null }) {
  return (
    <>
      {status !== null && <span className={status >= 400 ? 'trace-status trace-status--error' : 'trace-status'}>{status}</span>}
      {error !== null && <span className="trace-error"> {error}</span>}
    </>
  );
}

interface Jump {
  /** Scrolls to a row (expanding the node whose call it is) and marks it. */
  (anchor: string, expand?: number): void;
}

/** Who called a node: the call of its caller, the caller alone, or a hidden service. */
function CalledBy({ node, nodes, axis, jump }: { node: VisibleTraceNode; nodes: readonly TraceNode[]; axis: TraceAxis; jump: Jump }) {
  if (node.parent === null) return null;
  const caller = nodes[node.parent];
  if (!caller || caller.hidden) return <div className="trace-caller">called by {HIDDEN_LABEL}</div>;
  const call = node.parentCall !== null ? caller.calls[node.parentCall] : undefined;
  if (!call) {
    return (
      <div className="trace-caller">
        called by{' '}
        <a href={`#${nodeAnchor(caller.id)}`} onClick={(e) => { e.preventDefault(); jump(nodeAnchor(caller.id)); }}>
          {caller.url}
        </a>
      </div>
    );
  }
  return (
    <div className="trace-caller">
      called by{' '}
      <a href={`#${traceCallAnchor(call.spanId)}`} onClick={(e) => { e.preventDefault(); jump(traceCallAnchor(call.spanId), caller.id); }}>
        {call.url}
      </a>{' '}
      at {offsetLabel(caller.start - axis.start + call.start)}
    </div>
  );
}

function CallRow({ node, call, index, nodes, axis, target, jump }: {
  node: VisibleTraceNode; call: TraceCall; index: number; nodes: readonly TraceNode[]; axis: TraceAxis; target: string | null; jump: Jump;
}) {
  const anchor = traceCallAnchor(call.spanId);
  const offset = node.start - axis.start + call.start;
  const callees = calleesOf(nodes, node.id, index);
  return (
    <tr id={anchor} tabIndex={-1} className={`trace-row trace-row--call${target === anchor ? ' trace-row--target' : ''}`}>
      <td style={{ paddingLeft: 12 + (node.depth + 1) * INDENT }}>
        <span className="trace-kind">HTTP call</span>
      </td>
      <td className="trace-name">
        <span className="trace-url">{call.url}</span>
        <div className="trace-caller">
          {callees.length === 0
            ? 'callee not traced, or not visible to you'
            : callees.map((c) => (
                <span key={c.id}>
                  →{' '}
                  <a href={`#${nodeAnchor(c.id)}`} onClick={(e) => { e.preventDefault(); jump(nodeAnchor(c.id)); }}>
                    {c.method} {c.url}
                  </a>{' '}
                  on {c.projectName} / {c.objectName}
                </span>
              ))}
        </div>
      </td>
      <td className="num">{offsetLabel(offset)}</td>
      <td><Bar axis={axis} offset={offset} elapsed={call.elapsed} tone="call" /></td>
      <td className="num">{formatDuration(call.elapsed)}</td>
      <td><Status status={call.status} error={call.error} /></td>
    </tr>
  );
}

function NodeRow({ node, nodes, axis, open, onToggle, target, jump }: {
  node: VisibleTraceNode; nodes: readonly TraceNode[]; axis: TraceAxis; open: boolean; onToggle: () => void; target: string | null; jump: Jump;
}) {
  const anchor = nodeAnchor(node.id);
  const offset = node.start - axis.start;
  const failed = node.error !== null || node.status >= 500;
  return (
    <tr id={anchor} tabIndex={-1} className={`trace-row${target === anchor ? ' trace-row--target' : ''}`}>
      <td className="trace-service" style={{ paddingLeft: 12 + node.depth * INDENT }}>
        {node.calls.length > 0 ? (
          <button
            type="button"
            className="trace-toggle"
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} the HTTP calls of ${node.method} ${node.url}`}
            onClick={onToggle}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="trace-toggle trace-toggle--none" />
        )}
        <span>
          <span className="trace-project">{node.projectName}</span>
          <span className="trace-agent">{node.objectName}</span>
        </span>
      </td>
      <td className="trace-name">
        <Link to={paths.transaction(node.pcode, node.txid)} className="trace-url">
          <span className="trace-method">{node.method}</span> {node.url}
        </Link>
        <CalledBy node={node} nodes={nodes} axis={axis} jump={jump} />
      </td>
      <td className="num">{offsetLabel(offset)}</td>
      <td><Bar axis={axis} offset={offset} elapsed={node.elapsed} tone={failed ? 'error' : 'ok'} /></td>
      <td className="num">{formatDuration(node.elapsed)}</td>
      <td><Status status={node.status} error={node.error} /></td>
    </tr>
  );
}

/**
 * A trace as a waterfall across services: one row per transaction on the trace's time axis,
 * indented under its caller, each expandable into its HTTP calls, each call linked to the
 * transaction it started. Every text is untrusted and rendered as text.
 */
export function TraceWaterfall({ nodes, initialAnchor }: { nodes: readonly TraceNode[]; initialAnchor: string | null }) {
  const axis = traceAxis(nodes);
  const [open, setOpen] = useState<ReadonlySet<number>>(() => {
    const owner = nodes.find((n) => !n.hidden && n.calls.some((c) => traceCallAnchor(c.spanId) === initialAnchor));
    return new Set(owner ? [owner.id] : []);
  });
  const [target, setTarget] = useState<string | null>(initialAnchor);

  useEffect(() => {
    if (!target) return;
    const row = document.getElementById(target);
    row?.scrollIntoView?.({ block: 'center' });
    row?.focus({ preventScroll: true });
  }, [target]);

  const toggle = (id: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const jump: Jump = (anchor, expand) => {
    if (expand !== undefined) setOpen((prev) => new Set(prev).add(expand));
    setTarget(anchor);
  };

  return (
    <div className="table-wrap">
      <table className="table trace-table" aria-label="Trace waterfall">
        <thead>
          <tr>
            <th>Service</th>
            <th>Transaction</th>
            <th className="num">Start</th>
            <th className="trace-axis">Timeline ({formatDuration(axis.span)})</th>
            <th className="num">Duration</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) =>
            node.hidden ? (
              <tr key={node.id} id={nodeAnchor(node.id)} className="trace-row trace-row--hidden">
                <td colSpan={6} style={{ paddingLeft: 12 + node.depth * INDENT }}>
                  <span className="trace-toggle trace-toggle--none" />
                  {HIDDEN_LABEL}
                </td>
              </tr>
            ) : (
              [
                <NodeRow key={node.id} node={node} nodes={nodes} axis={axis} open={open.has(node.id)} onToggle={() => toggle(node.id)} target={target} jump={jump} />,
                ...(open.has(node.id)
                  ? node.calls.map((call, i) => (
                      <CallRow key={`${node.id}-${i}`} node={node} call={call} index={i} nodes={nodes} axis={axis} target={target} jump={jump} />
                    ))
                  : []),
              ]
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
