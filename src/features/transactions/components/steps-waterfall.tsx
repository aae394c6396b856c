import { useRef, type CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Step } from '../../../api/transactions';
import { formatDuration } from '../../../lib/format';
import { KIND_LABEL, stepSql, type StepReveal } from './step-content';

const ROW = 28;

function oneLine(step: Step, reveal: StepReveal): string {
  if (step.kind === 'sql') return stepSql(step, reveal, false);
  if (step.kind === 'error') return `${step.text}${step.error ? `: ${step.error}` : ''}`;
  if (step.kind === 'httpc' && step.status) return `${step.text} → ${step.status}`;
  return step.text;
}

/** The duration label sits right of the bar, or left of it when the bar reaches the right edge. */
function timeLabelPosition(left: number, width: number): CSSProperties {
  if (left + width <= 86) return { left: `${left + width}%` };
  if (left >= 14) return { right: `${100 - left}%`, paddingRight: 6, paddingLeft: 0 };
  return { left: `${left}%`, color: '#fff', fontWeight: 600 };
}

/**
 * Steps as a tree with a waterfall: indentation by depth, a bar from start to end on the
 * transaction's time scale. Rows have one height, so only those in view are rendered.
 */
export function StepsWaterfall({ steps, total, reveal }: { steps: readonly Step[]; total: number; reveal: StepReveal }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: steps.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 15,
    initialRect: { width: 900, height: 600 },
  });
  const span = Math.max(total, ...steps.map((s) => s.start + s.elapsed), 1);
  // jsdom has no layout: without a measured viewport, render everything.
  const items = virtualizer.getVirtualItems();
  const list = items.length ? items.map((it) => ({ index: it.index, top: it.start })) : steps.map((_, i) => ({ index: i, top: i * ROW }));

  return (
    <div ref={scrollRef} className="waterfall" role="list" aria-label="Steps as a tree">
      <div style={{ height: virtualizer.getTotalSize() || steps.length * ROW, position: 'relative' }}>
        {list.map(({ index, top }) => {
          const s = steps[index]!;
          const text = oneLine(s, reveal);
          const left = (s.start / span) * 100;
          const width = Math.max((s.elapsed / span) * 100, 0.25);
          return (
            <div
              key={index}
              role="listitem"
              className={`waterfall-row step-row--${s.kind}`}
              style={{ position: 'absolute', top, height: ROW, left: 0, right: 0 }}
              title={text}
            >
              <div className="waterfall-label" style={{ paddingLeft: 8 + (s.depth ?? 0) * 16 }}>
                <span className={`step-kind step-kind--${s.kind}`}>{KIND_LABEL[s.kind]}</span>
                <span className="waterfall-text">{text}</span>
              </div>
              <div className="waterfall-track">
                <div className={`waterfall-bar waterfall-bar--${s.kind}`} style={{ left: `${left}%`, width: `${width}%` }} />
                <span className="waterfall-time" style={timeLabelPosition(left, width)}>
                  {formatDuration(s.elapsed)}
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
