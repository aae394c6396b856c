import { useState, type FormEvent } from 'react';
import type { Agent } from '../../../api/agents';
import { Button } from '../../../components/button';
import { fromZonedInput, toZonedInput } from '../../../lib/time-format';
import { LIVE_WINDOWS, MAX_RANGE_MS, Y_CHOICES, type HitmapSearch, type LiveWindow } from '../hitmap-search';

const RANGE_PRESETS = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { id: '1d', label: '1 day', ms: 86_400_000 },
] as const;

interface Props {
  search: HitmapSearch;
  agents: readonly Agent[];
  timeZone: string;
  onChange: (patch: Partial<HitmapSearch>) => void;
}

/** Mode (live / time range), filters and Y axis of the hitmap. Every change goes to the URL. */
export function HitmapToolbar({ search, agents, timeZone, onChange }: Props) {
  const [urlText, setUrlText] = useState(search.url ?? '');
  const [prevUrl, setPrevUrl] = useState(search.url);
  if (prevUrl !== search.url) {
    // The URL filter changed from outside (a link, a click in the list): follow it.
    setPrevUrl(search.url);
    setUrlText(search.url ?? '');
  }

  const submitUrl = (e: FormEvent) => {
    e.preventDefault();
    onChange({ url: urlText.trim() || undefined, selection: null });
  };

  return (
    <div className="hitmap-toolbar">
      <div className="hitmap-toolbar__row">
        <div role="group" aria-label="Hitmap mode" className="segmented">
          <button
            type="button"
            aria-pressed={search.mode === 'live'}
            onClick={() => onChange({ mode: 'live', selection: null })}
          >
            <span className="live-dot" aria-hidden="true" /> Live
          </button>
          <button
            type="button"
            aria-pressed={search.mode === 'range'}
            onClick={() => search.mode !== 'range' && onChange({ mode: 'range' })}
          >
            Time range
          </button>
        </div>

        {search.mode === 'live' ? (
          <label className="hitmap-field">
            <span>Window</span>
            <select
              className="input select"
              value={search.win}
              onChange={(e) => onChange({ win: e.target.value as LiveWindow })}
            >
              {Object.keys(LIVE_WINDOWS).map((w) => (
                <option key={w} value={w}>
                  last {w.replace('m', ' min').replace('1h', '1 h')}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <RangeInputs search={search} timeZone={timeZone} onChange={onChange} />
        )}
      </div>

      <div className="hitmap-toolbar__row">
        <label className="hitmap-field">
          <span>Agent</span>
          <select
            className="input select"
            value={search.agentId ?? ''}
            onChange={(e) =>
              onChange({ agentId: e.target.value === '' ? undefined : Number(e.target.value), selection: null })
            }
          >
            <option value="">All agents</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.objectName}
              </option>
            ))}
            {search.agentId !== undefined && !agents.some((a) => a.id === search.agentId) && (
              <option value={search.agentId}>agent #{search.agentId}</option>
            )}
          </select>
        </label>

        <form className="hitmap-field" onSubmit={submitUrl} role="search" aria-label="Filter by URL">
          <label htmlFor="hitmap-url">URL</label>
          <input
            id="hitmap-url"
            className="input"
            type="search"
            placeholder="exact transaction name, e.g. /orders/{id}"
            value={urlText}
            maxLength={2048}
            onChange={(e) => setUrlText(e.target.value)}
            onBlur={(e) => {
              const next = e.target.value.trim() || undefined;
              if (next !== search.url) onChange({ url: next, selection: null });
            }}
          />
        </form>

        <label className="hitmap-check">
          <input
            type="checkbox"
            checked={search.errorsOnly}
            onChange={(e) => onChange({ errorsOnly: e.target.checked, selection: null })}
          />
          Errors only
        </label>

        <label className="hitmap-field">
          <span>Y axis</span>
          <select
            className="input select"
            value={search.yMax === 'auto' ? 'auto' : String(search.yMax)}
            onChange={(e) => onChange({ yMax: e.target.value === 'auto' ? 'auto' : Number(e.target.value) })}
          >
            {Y_CHOICES.map((y) => (
              <option key={y} value={y}>
                {y === 'auto' ? 'Auto' : Number(y) < 1000 ? `${y} ms` : `${Number(y) / 1000} s`}
              </option>
            ))}
          </select>
        </label>

        <label className="hitmap-check" title="Spreads the fast majority of requests over the height">
          <input
            type="checkbox"
            checked={search.yScale === 'log'}
            onChange={(e) => onChange({ yScale: e.target.checked ? 'log' : 'linear' })}
          />
          Log scale
        </label>
      </div>
    </div>
  );
}

function RangeInputs({ search, timeZone, onChange }: Omit<Props, 'agents'>) {
  const [fromText, setFromText] = useState(() => toZonedInput(search.from, timeZone));
  const [toText, setToText] = useState(() => toZonedInput(search.to, timeZone));
  const [shown, setShown] = useState({ from: search.from, to: search.to, timeZone });
  if (shown.from !== search.from || shown.to !== search.to || shown.timeZone !== timeZone) {
    setShown({ from: search.from, to: search.to, timeZone });
    setFromText(toZonedInput(search.from, timeZone));
    setToText(toZonedInput(search.to, timeZone));
  }
  const from = fromZonedInput(fromText, timeZone);
  const to = fromZonedInput(toText, timeZone);
  const problem =
    from === null || to === null
      ? 'Enter both times.'
      : from >= to
        ? 'The start must be before the end.'
        : to - from > MAX_RANGE_MS
          ? 'Pick at most 31 days.'
          : null;

  return (
    <form
      className="hitmap-range"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && from !== null && to !== null) onChange({ mode: 'range', from, to, selection: null });
      }}
    >
      <div role="group" aria-label="Quick ranges" className="segmented segmented--small">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            onClick={() => {
              const now = Date.now();
              onChange({ mode: 'range', from: now - p.ms, to: now, selection: null });
            }}
          >
            {p.label}
          </button>
        ))}
      </div>
      <label className="hitmap-field">
        <span>From</span>
        <input
          className="input"
          type="datetime-local"
          step={1}
          value={fromText}
          onChange={(e) => setFromText(e.target.value)}
        />
      </label>
      <label className="hitmap-field">
        <span>To</span>
        <input className="input" type="datetime-local" step={1} value={toText} onChange={(e) => setToText(e.target.value)} />
      </label>
      <span className="hitmap-tz" title="Times are in the project's time zone">
        {timeZone}
      </span>
      <Button type="submit" size="sm" variant="primary" disabled={problem !== null}>
        Show
      </Button>
      {problem && fromText && toText && (
        <span className="hitmap-range__problem" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
