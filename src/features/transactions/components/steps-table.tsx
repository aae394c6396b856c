import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Step } from '../../../api/transactions';
import { formatNumber } from '../../../lib/format';
import { KIND_LABEL, StepContent, type CallHref, type StepReveal } from './step-content';

const VIRTUALIZE_ABOVE = 150;
const ms = (v: number) => formatNumber(v, v < 10 ? 2 : 1);

/**
 * Gap = idle time before a step: since the previous row ended, or, when the previous row is
 * still running (a method around its SQL), since that row started.
 */
export function stepGaps(steps: readonly Step[]): number[] {
  return steps.map((s, i) => {
    const prev = steps[i - 1];
    if (!prev) return Math.max(0, s.start);
    const prevEnd = prev.start + prev.elapsed;
    return Math.max(0, prevEnd <= s.start ? s.start - prevEnd : s.start - prev.start);
  });
}

/** Steps as a table: start offset, gap, elapsed, content. Long profiles render only the rows in view. */
export function StepsTable({ steps, reveal, callHref }: { steps: readonly Step[]; reveal: StepReveal; callHref?: CallHref }) {
  const gaps = useMemo(() => stepGaps(steps), [steps]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = steps.length > VIRTUALIZE_ABOVE;
  const virtualizer = useVirtualizer({
    count: virtual ? steps.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (steps[i]?.kind === 'sql' ? 96 : 36),
    overscan: 8,
    initialRect: { width: 900, height: 600 },
  });
  const items = virtual ? virtualizer.getVirtualItems() : null;
  const rows = items ? items.map((it) => it.index) : steps.map((_, i) => i);
  const padTop = items && items.length ? items[0]!.start : 0;
  const padBottom = items && items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  return (
    <div ref={scrollRef} className="steps-scroll">
      <table className="table table-compact steps-table" aria-rowcount={steps.length + 1}>
        <thead>
          <tr>
            <th scope="col" className="num">#</th>
            <th scope="col" className="num">Start (ms)</th>
            <th scope="col" className="num">Gap (ms)</th>
            <th scope="col" className="num">Elapsed (ms)</th>
            <th scope="col">Kind</th>
            <th scope="col">Content</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" style={{ height: padTop }}>
              <td colSpan={6} />
            </tr>
          )}
          {rows.map((i) => {
            const s = steps[i]!;
            return (
              <tr
                key={i}
                data-index={i}
                ref={virtual ? virtualizer.measureElement : undefined}
                aria-rowindex={i + 2}
                className={`step-row step-row--${s.kind}`}
              >
                <td className="num text-muted">{i + 1}</td>
                <td className="num mono">{ms(s.start)}</td>
                <td className="num mono">{ms(gaps[i]!)}</td>
                <td className="num mono">{ms(s.elapsed)}</td>
                <td>
                  <span className={`step-kind step-kind--${s.kind}`} style={{ marginLeft: (s.depth ?? 0) * 10 }}>
                    {KIND_LABEL[s.kind]}
                  </span>
                </td>
                <td className="step-content">
                  <StepContent step={s} reveal={reveal} callHref={callHref} />
                </td>
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" style={{ height: padBottom }}>
              <td colSpan={6} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
