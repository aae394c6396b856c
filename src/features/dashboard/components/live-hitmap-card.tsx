import { useNavigate } from 'react-router';
import { paths } from '../../../app/paths';
import { ButtonLink } from '../../../components/button';
import { LiveHitmap } from '../../../components/hitmap-canvas/live-hitmap';
import type { HitmapSelection } from '../../../components/hitmap-canvas/hitmap-bins';

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
 * The dashboard's live hitmap: the project's transactions of the last five minutes. Dragging
 * a rectangle opens the full hitmap with that selection and its transaction list.
 */
export function LiveHitmapCard({ pcode, timeZone }: { pcode: string; timeZone: string }) {
  const navigate = useNavigate();
  return (
    <div className="dash-hitmap">
      <LiveHitmap
        pcode={pcode}
        timeZone={timeZone}
        windowMs={WINDOW_MS}
        height={300}
        onSelect={(sel) => {
          if (sel) void navigate(hitmapSelectionHref(pcode, sel, Date.now()));
        }}
      />
      <div className="dash-hitmap__footer">
        <span className="text-muted">Last 5 min, whole project. Drag an area to list its transactions.</span>
        <ButtonLink to={paths.hitmap(pcode)} size="sm">
          Open the hitmap
        </ButtonLink>
      </div>
    </div>
  );
}
