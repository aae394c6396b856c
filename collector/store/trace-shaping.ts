import type { TraceTransactionRecord } from './telemetry-store';
import { parseSteps, toTransactionSummary, TX_SUMMARY_COLUMNS, type TxDbRow } from './telemetry-shaping';

/** The most transactions one trace look-up returns (a runaway loop of calls must not read a day of data). */
export const MAX_TRACE_TRANSACTIONS = 1000;

/** The columns every engine reads for a trace, in its `tx` table's names. */
export const TRACE_TX_COLUMNS = `pcode, ${TX_SUMMARY_COLUMNS}, span_id, parent_span_id, steps`;

export interface TraceTxDbRow extends TxDbRow {
  pcode: string;
  span_id: string | null;
  parent_span_id: string | null;
  steps: string;
}

/** A row of TRACE_TX_COLUMNS as the reader answers it; steps that do not parse read as no calls. */
export function toTraceTransaction(r: TraceTxDbRow): TraceTransactionRecord {
  const steps = parseSteps(r.steps);
  return {
    pcode: r.pcode,
    transaction: toTransactionSummary(r),
    spanId: r.span_id || null,
    parentSpanId: r.parent_span_id || null,
    calls: steps.filter((s) => s.kind === 'httpc' && typeof s.spanId === 'string'),
  };
}
