import { useNavigate } from 'react-router';
import { ButtonLink } from '../../../components/button';
import { paths } from '../../../lib/paths';
import { useHitmapStream } from '../hooks/use-hitmap-stream';
import type { HitmapSelection } from '../lib/hitmap-bins';
import { HitmapCanvas } from './hitmap-canvas';
import './live-hitmap-card.css';

/** What the small hitmap shows: long enough to see a spike, short enough to stay light. */
const WINDOW_MS = 5 * 60_000;

/** The full hitmap's URL for a rectangle dragged on the small one (its `sf/st/smin/smax` parameters). */
export function hitmapSelectionHref(pcode: string, sel: HitmapSelection, now: number): string {
  const q = new URLSearchParams({
    mode: 'range',
    from: String(Math.floor(Math.min(sel.from, now - WINDOW_MS))),
    to: String(Math.ceil(Math.max(sel.to, now))),
    sf: String(Math.floor(sel.from)),
    st: String(Math.ceil(sel.to)),
    smin: String(Math.floor(sel.minElapsed)),
  });
  if (sel.maxElapsed !== undefined) q.set('smax', String(Math.ceil(sel.maxElapsed)));
  return paths.hitmap(pcode, `?${q.toString()}`);
}

/**
 * The live hitmap the dashboard embeds (composed in `app/routes/dashboard-route.tsx`, so the
 * dashboard does not import this feature): the project's transactions of the last five minutes,
 * scrolling. Dragging a rectangle opens the full hitmap with that selection and its list.
 */
export function LiveHitmapCard({ pcode, timeZone }: { pcode: string; timeZone: string }) {
  const navigate = useNavigate();
  // A small widget keeps a small buffer: a few minutes rarely hold more than 200k points.
  const stream = useHitmapStream({ pcode, live: true, windowMs: WINDOW_MS, capacity: 250_000 });
  return (
    <div>
      <HitmapCanvas
        buffer={stream.buffer}
        version={stream.version}
        from={stream.from}
        to={stream.to}
        timeZone={timeZone}
        height={300}
        onSelect={(sel) => {
          if (sel) void navigate(hitmapSelectionHref(pcode, sel, Date.now()));
        }}
        label="Live hitmap"
      />
      {stream.error && (
        <p role="alert" style={{ margin: '4px 0 0', color: '#b42318', fontSize: 12 }}>
          {stream.error}
        </p>
      )}
      <div className="live-hitmap__footer">
        <span className="text-muted">Last 5 min, whole project. Drag an area to list its transactions.</span>
        <ButtonLink to={paths.hitmap(pcode)} size="sm">
          Open the hitmap
        </ButtonLink>
      </div>
    </div>
  );
}
