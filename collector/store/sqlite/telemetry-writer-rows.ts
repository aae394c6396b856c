import type { PreparedTransaction, RollupStep } from '../rollup-accumulator';

/**
 * Prepared transactions as positional rows for the hand-over to the writer thread: a
 * structured clone of objects writes every property name again for each transaction, and
 * rows cost about half as much to clone (bench/ingest-stages.ts prints both).
 */
export type TransactionRow = [
  txid: string, pcode: string, agentId: number, objectName: string, start: number, end: number, elapsed: number,
  url: string, method: string, status: number, errorClass: string | null, errorMessage: string | null,
  errorStack: string | null, clientIp: string, userAgent: string, cpu: number, sqlCount: number, sqlTime: number,
  httpcCount: number, httpcTime: number, params: string | null, stepsJson: string, rollSteps: RollupStep[],
  traceId: string | null, spanId: string | null, parentSpanId: string | null,
];

export function toTransactionRows(txs: readonly PreparedTransaction[]): TransactionRow[] {
  const rows = new Array<TransactionRow>(txs.length);
  for (let i = 0; i < txs.length; i++) {
    const t = txs[i]!;
    rows[i] = [
      t.txid, t.pcode, t.agentId, t.objectName, t.start, t.end, t.elapsed, t.url, t.method, t.status, t.errorClass,
      t.errorMessage, t.errorStack, t.clientIp, t.userAgent, t.cpu, t.sqlCount, t.sqlTime, t.httpcCount, t.httpcTime,
      t.params, t.stepsJson, t.rollSteps, t.traceId, t.spanId, t.parentSpanId,
    ];
  }
  return rows;
}

export function fromTransactionRows(rows: readonly TransactionRow[]): PreparedTransaction[] {
  const txs = new Array<PreparedTransaction>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    txs[i] = {
      txid: r[0], pcode: r[1], agentId: r[2], objectName: r[3], start: r[4], end: r[5], elapsed: r[6], url: r[7],
      method: r[8], status: r[9], errorClass: r[10], errorMessage: r[11], errorStack: r[12], clientIp: r[13],
      userAgent: r[14], cpu: r[15], sqlCount: r[16], sqlTime: r[17], httpcCount: r[18], httpcTime: r[19], params: r[20],
      stepsJson: r[21], rollSteps: r[22], traceId: r[23], spanId: r[24], parentSpanId: r[25],
    };
  }
  return txs;
}
