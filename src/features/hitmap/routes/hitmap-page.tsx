import { useCallback, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../../lib/paths';
import { Card, PageHeader } from '../../../components/page';
import { ErrorBanner } from '../../../components/error-banner';
import { Button } from '../../../components/button';
import { HitmapCanvas } from '../components/hitmap-canvas';
import { countSelection, type HitmapSelection } from '../lib/hitmap-bins';
import { HITMAP_COLORS } from '../lib/hitmap-paint';
import type { DrawResult } from '../lib/hitmap-renderer';
import { useHitmapStream } from '../hooks/use-hitmap-stream';
import { useCurrentProject } from '../../../lib/current-project';
import { dropText } from '../../../lib/drop-ranges';
import { formatCount, formatNumber } from '../../../lib/format';
import { formatTime } from '../../../lib/time-format';
import { useAgents } from '../../../lib/get-agents';
import { useHitmapDrops } from '../api/get-hitmap-drops';
import { HitmapToolbar } from '../components/hitmap-toolbar';
import { SelectionPanel } from '../components/selection-panel';
import { hitmapSearchParams, LIVE_WINDOWS, parseHitmapSearch, type HitmapSearch } from '../hitmap-search';
import '../hitmap.css';

export default function HitmapPage() {
  const project = useCurrentProject();
  const { pcode, timezone } = project;
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => parseHitmapSearch(params), [params]);
  const update = useCallback(
    (patch: Partial<HitmapSearch>, replace = false) =>
      setParams(hitmapSearchParams({ ...search, ...patch }), { replace }),
    [search, setParams],
  );

  const live = search.mode === 'live';
  // A drag pauses the live view, so what is under the pointer stays put until the mouse is up.
  const [dragging, setDragging] = useState(false);
  const stream = useHitmapStream({
    pcode,
    live,
    windowMs: LIVE_WINDOWS[search.win],
    from: search.from,
    to: search.to,
    url: search.url,
    paused: dragging,
  });
  const agents = useAgents(pcode);
  const dropsQuery = useHitmapDrops({ pcode, from: stream.from, to: stream.to, agentId: search.agentId });
  const drops = dropsQuery.data ?? [];
  const agentName = (id: number) => agents.data?.find((a) => a.id === id)?.objectName ?? `agent #${id}`;
  const [drawn, setDrawn] = useState<DrawResult | null>(null);

  const filter = useMemo(
    () => ({ agentId: search.agentId, errorsOnly: search.errorsOnly }),
    [search.agentId, search.errorsOnly],
  );
  const { buffer, version } = stream;
  const selection = search.selection;
  // The instant answer to a drag, from the typed arrays; the list below asks the server.
  const instant = useMemo(
    () => (selection ? countSelection(buffer, selection, filter) : null),
    // version: the buffer is mutated in place
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [buffer, version, selection, filter],
  );

  const onSelect = (sel: HitmapSelection | null) => {
    if (!sel) {
      if (selection) update({ selection: null });
      return;
    }
    // Selecting freezes a live view on what is on screen, so the link shows this very rectangle.
    update(
      live
        ? { mode: 'range', from: Math.floor(stream.from), to: Math.ceil(stream.to), selection: sel }
        : { selection: sel },
    );
  };

  const noData = stream.status === 'ready' && buffer.size === 0 && !search.url;

  return (
    <div className="hitmap-page">
      <PageHeader
        title="Hitmap"
        description="Every transaction as a dot: end time across, response time up. Drag an area to list its transactions."
        actions={
          !live && (
            <Button size="sm" onClick={() => update({ mode: 'live', selection: null })}>
              Resume live
            </Button>
          )
        }
      />
      <HitmapToolbar
        search={search}
        agents={agents.data ?? []}
        timeZone={timezone}
        onChange={(p) =>
          // Leaving live mode keeps the window on screen, as it is now.
          update(
            live && p.mode === 'range' && p.from === undefined
              ? { ...p, from: Math.floor(stream.from), to: Math.ceil(stream.to) }
              : p,
          )
        }
      />

      <Card padded>
        <div className="hitmap-status" aria-live="polite">
          <span data-testid="hitmap-count">
            {stream.status === 'loading'
              ? 'Loading transactions…'
              : `${formatCount(drawn?.inView ?? 0, 'transaction')} · ${formatCount(drawn?.errorsInView ?? 0, 'error')}`}
          </span>
          {live && stream.status !== 'error' && (
            <span className="hitmap-live">{dragging ? 'Live · paused while you drag' : 'Live'}</span>
          )}
          {stream.truncated && (
            <span className="hitmap-warn">
              Only the newest 1,000,000 points of this range are drawn; pick a shorter range.
            </span>
          )}
          <span className="hitmap-legend" aria-label="Legend">
            <i style={{ background: HITMAP_COLORS.normal }} /> normal
            <i style={{ background: HITMAP_COLORS.normalDense }} /> dense
            <i style={{ background: HITMAP_COLORS.error }} /> error
            {drops.length > 0 && (
              <>
                <i className="hitmap-legend__band" /> not recorded
              </>
            )}
          </span>
        </div>
        {stream.error && <ErrorBanner error={new Error(stream.error)} title="The hitmap could not be loaded" />}
        <HitmapCanvas
          buffer={buffer}
          version={version}
          from={stream.from}
          to={stream.to}
          timeZone={timezone}
          yMax={search.yMax}
          yScale={search.yScale}
          filter={filter}
          height={380}
          selection={selection}
          onSelect={onSelect}
          onDraw={setDrawn}
          onDragChange={setDragging}
          label="Transaction hitmap"
          bands={drops}
        />
        {drops.length > 0 && (
          <ul className="hitmap-drops" aria-label="Transactions not recorded">
            {drops.map((d) => (
              <li key={`${d.agentId}:${d.from}`}>
                <span className="hitmap-drops__time">
                  {formatTime(d.from, timezone)}–{formatTime(d.to, timezone)}
                </span>{' '}
                {dropText(d, agentName(d.agentId), (n) => formatNumber(n))}
              </li>
            ))}
          </ul>
        )}
        {noData && (
          <p className="hitmap-empty">
            No transactions in this window yet. Start an app with the agent —{' '}
            <Link to={paths.install(pcode)}>open the install guide</Link>.
          </p>
        )}
      </Card>

      {selection ? (
        <SelectionPanel
          pcode={pcode}
          timeZone={timezone}
          search={search}
          selection={selection}
          instant={instant}
          onChange={update}
        />
      ) : (
        <p className="hitmap-hint">Drag a rectangle on the hitmap to list the transactions inside it.</p>
      )}
    </div>
  );
}
