import { timeRangeIds, timeRanges, type TimeRangeId } from './time-range';
import './charts.css';

interface TimeRangePickerProps {
  value: TimeRangeId;
  onChange: (id: TimeRangeId) => void;
  /** Accessible name of the group, e.g. "Dashboard time range". */
  label?: string;
}

/** A row of toggle buttons for the history ranges; the pressed one is the current range. */
export function TimeRangePicker({ value, onChange, label = 'Time range' }: TimeRangePickerProps) {
  return (
    <div role="group" aria-label={label} className="time-range-picker">
      {timeRangeIds.map((id) => (
        <button
          key={id}
          type="button"
          aria-pressed={id === value}
          title={timeRanges[id].label}
          className={id === value ? 'time-range-picker__item is-active' : 'time-range-picker__item'}
          onClick={() => onChange(id)}
        >
          {id}
        </button>
      ))}
    </div>
  );
}
