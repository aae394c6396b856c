import type { TraceNode, VisibleTraceNode } from '../../../api/traces';

/** The shared time axis of a trace: its first start and its span (ms), over the visible nodes. */
export interface TraceAxis {
  start: number;
  span: number;
}

export function traceAxis(nodes: readonly TraceNode[]): TraceAxis {
  const visible = nodes.filter((n): n is VisibleTraceNode => !n.hidden);
  if (visible.length === 0) return { start: 0, span: 1 };
  const start = Math.min(...visible.map((n) => n.start));
  const end = Math.max(...visible.map((n) => n.end));
  return { start, span: Math.max(end - start, 1) };
}

/** Left edge and width of a bar, in percent of the axis (at least a sliver, so a 0 ms bar shows). */
export function barPlacement(axis: TraceAxis, offset: number, elapsed: number): { left: number; width: number } {
  const left = Math.min(Math.max((offset / axis.span) * 100, 0), 100);
  return { left, width: Math.min(Math.max((elapsed / axis.span) * 100, 0.3), 100 - left) };
}

/** The visible nodes a call of `caller` started (the callees whose parentCall is that call). */
export function calleesOf(nodes: readonly TraceNode[], caller: number, call: number): VisibleTraceNode[] {
  return nodes.filter((n): n is VisibleTraceNode => !n.hidden && n.parent === caller && n.parentCall === call);
}

/** The anchor of a node's row (a call's row: traceCallAnchor in lib/paths, profiles link to it). */
export const nodeAnchor = (id: number) => `trace-node-${id}`;
