import type { StatKind, StatRow } from '../../../api/stats';
import { statColumns } from './columns';
import { toCsv } from './csv';

/**
 * The CSV of a statistics table as shown (same rows, same order). Durations stay plain
 * milliseconds and times ISO 8601, so a spreadsheet can compute with them.
 */
export function statsCsv(kind: StatKind, rows: readonly StatRow[]): string {
  const columns = statColumns[kind];
  const header = columns.map((c) => (c.format === 'ms' ? `${c.label} (ms)` : c.label));
  if (kind === 'errors') header.push('Example transaction');
  const body = rows.map((r) => {
    const cells = columns.map((c) => {
      const v = c.value(r);
      if (c.format === 'time' && typeof v === 'number') return new Date(v).toISOString();
      if (c.format === 'ms' && typeof v === 'number') return Math.round(v * 10) / 10;
      return v;
    });
    if (kind === 'errors') cells.push(r.exampleTxid ?? null);
    return cells;
  });
  return toCsv(header, body);
}

/** `tapscope-demoshop-sql-20250114T1305-20250114T1405.csv` */
export function statsCsvFilename(pcode: string, kind: StatKind, from: number, to: number): string {
  const stamp = (t: number) => new Date(t).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const safe = pcode.replace(/[^A-Za-z0-9_-]/g, '_');
  return `tapscope-${safe}-${kind}-${stamp(from)}-${stamp(to)}.csv`;
}
