import { useMemo, type SelectHTMLAttributes } from 'react';
import { listTimeZones } from '../lib/time-format';
import { Select } from './form-field';

/** A select of IANA time zones; keeps an unknown current value selectable. */
export function TimeZoneSelect({ value, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { value: string }) {
  const zones = useMemo(() => {
    const all = listTimeZones();
    return value && !all.includes(value) ? [value, ...all] : all;
  }, [value]);
  return (
    <Select value={value} {...rest}>
      {zones.map((z) => (
        <option key={z} value={z}>
          {z.replace(/_/g, ' ')}
        </option>
      ))}
    </Select>
  );
}
