import type { TraceCall, TraceNode } from '../../../src/api/traces';
import type { TraceTransactionRecord } from '../../store/telemetry-store';

/** What the tree needs of the projects the user may see: pcode → project name. */
export type VisibleProjects = ReadonlyMap<string, string>;

interface Placed {
  rec: TraceTransactionRecord;
  visible: boolean;
  parent: number | null;
  parentCall: number | null;
  children: number[];
}

const toCall = (s: TraceTransactionRecord['calls'][number]): TraceCall => ({
  spanId: s.spanId!,
  url: s.text,
  start: s.start,
  elapsed: s.elapsed,
  status: s.status ?? null,
  error: s.error ?? null,
});

/**
 * Links a trace's transactions into a tree: a transaction's parent is the one whose HTTP-call
 * step sent its `parentSpanId` (or, failing that, the one whose own span it is: the work an
 * ASGI app does after its response). Transactions whose caller is not stored are roots.
 * Transactions of projects not in `visible` become hidden nodes with none of their data; the
 * answer lists nodes depth first. Null when no transaction is visible (the trace is not revealed).
 */
export function buildTraceTree(records: readonly TraceTransactionRecord[], visible: VisibleProjects): TraceNode[] | null {
  if (!records.some((r) => visible.has(r.pcode))) return null;
  const placed: Placed[] = records.map((rec) => ({
    rec,
    visible: visible.has(rec.pcode),
    parent: null,
    parentCall: null,
    children: [],
  }));
  const bySpan = new Map<string, number>();
  const byCallSpan = new Map<string, [node: number, call: number]>();
  placed.forEach((p, i) => {
    if (p.rec.spanId) bySpan.set(p.rec.spanId, i);
    p.rec.calls.forEach((c, j) => byCallSpan.set(c.spanId!, [i, j]));
  });
  placed.forEach((p, i) => {
    const parentSpan = p.rec.parentSpanId;
    if (!parentSpan) return;
    const call = byCallSpan.get(parentSpan);
    const parent = call ? call[0] : bySpan.get(parentSpan);
    if (parent === undefined || parent === i) return;
    p.parent = parent;
    p.parentCall = call ? call[1] : null;
  });
  // Broken links (a cycle from inconsistent ids) leave their nodes unreached from any root; they become roots.
  const bySiblingOrder = (a: number, b: number) => {
    const pa = placed[a]!;
    const pb = placed[b]!;
    if (pa.visible !== pb.visible) return pa.visible ? -1 : 1;
    return pa.rec.transaction.start - pb.rec.transaction.start || a - b;
  };
  placed.forEach((p, i) => {
    if (p.parent !== null) placed[p.parent]!.children.push(i);
  });
  for (const p of placed) p.children.sort(bySiblingOrder);

  const order: Array<{ index: number; depth: number; parentId: number | null }> = [];
  const reached = new Set<number>();
  const walk = (root: number) => {
    const stack: Array<{ index: number; depth: number; parentId: number | null }> = [{ index: root, depth: 0, parentId: null }];
    while (stack.length > 0) {
      const item = stack.pop()!;
      if (reached.has(item.index)) continue;
      reached.add(item.index);
      const id = order.length;
      order.push(item);
      const kids = placed[item.index]!.children;
      for (let k = kids.length - 1; k >= 0; k--) stack.push({ index: kids[k]!, depth: item.depth + 1, parentId: id });
    }
  };
  const roots = placed.map((_, i) => i).filter((i) => placed[i]!.parent === null).sort(bySiblingOrder);
  for (const r of roots) walk(r);
  for (let i = 0; i < placed.length; i++) if (!reached.has(i)) walk(i);

  return order.map(({ index, depth, parentId }, id) => {
    const p = placed[index]!;
    if (!p.visible) return { hidden: true, id, parent: parentId, depth };
    const t = p.rec.transaction;
    // The call's index is only said when the caller is visible: a hidden caller's steps are not the user's to see.
    const callerVisible = p.parent !== null && placed[p.parent]!.visible && parentId !== null;
    return {
      hidden: false,
      id,
      parent: parentId,
      depth,
      parentCall: callerVisible ? p.parentCall : null,
      pcode: p.rec.pcode,
      projectName: visible.get(p.rec.pcode)!,
      txid: t.txid,
      agentId: t.agentId,
      objectName: t.objectName,
      url: t.url,
      method: t.method,
      status: t.status,
      error: t.error,
      start: t.start,
      end: t.end,
      elapsed: t.elapsed,
      spanId: p.rec.spanId,
      parentSpanId: p.rec.parentSpanId,
      calls: p.rec.calls.map(toCall),
    };
  });
}
