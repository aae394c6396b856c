/**
 * LiveHitmap — the last few minutes of a project's transactions, scrolling live.
 * For embedding (e.g. the dashboard): `<LiveHitmap pcode={pcode} timeZone={tz} height={180} />`.
 * Pass `onSelect` to let users drag a region (e.g. to navigate to the full hitmap).
 */
import { HitmapCanvas } from './hitmap-canvas';
import type { HitmapSelection } from './hitmap-bins';
import { useHitmapStream } from './use-hitmap-stream';

export interface LiveHitmapProps {
  pcode: string;
  timeZone: string;
  /** Window shown, ms (default 5 minutes). */
  windowMs?: number;
  height?: number;
  yMax?: 'auto' | number;
  onSelect?: (sel: HitmapSelection | null) => void;
}

export function LiveHitmap({ pcode, timeZone, windowMs = 5 * 60_000, height = 200, yMax, onSelect }: LiveHitmapProps) {
  // A small widget keeps a small buffer: a few minutes rarely hold more than 200k points.
  const stream = useHitmapStream({ pcode, live: true, windowMs, capacity: 250_000 });
  return (
    <div>
      <HitmapCanvas
        buffer={stream.buffer}
        version={stream.version}
        from={stream.from}
        to={stream.to}
        timeZone={timeZone}
        height={height}
        yMax={yMax}
        onSelect={onSelect}
        label="Live hitmap"
      />
      {stream.error && (
        <p role="alert" style={{ margin: '4px 0 0', color: '#b42318', fontSize: 12 }}>
          {stream.error}
        </p>
      )}
    </div>
  );
}
