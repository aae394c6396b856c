import type { StatRow } from '../../../api/stats';
import type { StatColumn } from './columns';

export type SortDir = 'asc' | 'desc';

/** Rows whose searchable text (name, message, URL) contains every word of `q`, case-insensitive. */
export function searchRows(rows: readonly StatRow[], q: string): StatRow[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const haystack = `${r.key}\n${r.message ?? ''}\n${r.url ?? ''}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** A sorted copy; empty values go last in either direction, ties keep the name order. */
export function sortRows(rows: readonly StatRow[], column: StatColumn, dir: SortDir): StatRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === null || y === null) {
      if (x === y) return a.key.localeCompare(b.key);
      return x === null ? 1 : -1;
    }
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? sign * c : a.key.localeCompare(b.key);
  });
}
