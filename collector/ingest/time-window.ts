import type { CounterRecord, TransactionRecord } from '../store/telemetry-store';

/** The times ingest accepts, relative to the collector's clock (epoch ms). */
export interface TimeWindow {
  maxPastMs: number;
  maxFutureMs: number;
}

function outside(t: number, now: number, w: TimeWindow): string | null {
  if (t < now - w.maxPastMs) return `is more than ${Math.round(w.maxPastMs / 3_600_000)} h in the past (collector clock)`;
  if (t > now + w.maxFutureMs) return `is more than ${Math.round(w.maxFutureMs / 3_600_000)} h in the future (collector clock)`;
  return null;
}

/**
 * The first transaction time outside the window, as a REJECT {field, message}; null when all fit.
 * Why: one `end=0` or `end=1e308` row would outlive retention and stretch every hitmap to 1970.
 */
export function transactionTimeIssue(
  records: readonly TransactionRecord[],
  now: number,
  w: TimeWindow,
): { field: string; message: string } | null {
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    for (const key of ['start', 'end'] as const) {
      const why = outside(r[key], now, w);
      if (why) return { field: `txs[${i}].${key}`, message: `txs[${i}].${key}: ${why}` };
    }
  }
  return null;
}

export function counterTimeIssue(
  records: readonly CounterRecord[],
  now: number,
  w: TimeWindow,
): { field: string; message: string } | null {
  for (let i = 0; i < records.length; i++) {
    const why = outside(records[i]!.time, now, w);
    if (why) return { field: `counters[${i}].time`, message: `counters[${i}].time: ${why}` };
  }
  return null;
}
