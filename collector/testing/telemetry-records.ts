import { errorLabel } from '../../src/api/wire';
import type { TransactionRecord } from '../store/telemetry-store';

/**
 * A stored transaction with sensible defaults; override what the test is about. Its error label
 * is decided as ingest decides it (an `HTTP 5xx` status without an exception is one).
 */
export function makeTransaction(over: Partial<TransactionRecord> & { txid: string; end: number }): TransactionRecord {
  const elapsed = over.elapsed ?? 100;
  return {
    pcode: 'aaaaaaaa',
    agentId: 1,
    objectName: 'shop-0-12-gunicorn',
    start: over.end - elapsed,
    elapsed,
    url: '/orders/{id}',
    method: 'GET',
    status: 200,
    errorMessage: null,
    errorStack: null,
    clientIp: '10.0.0.1',
    userAgent: 'curl/8.0',
    cpu: 3,
    sqlCount: 1,
    sqlTime: 10,
    httpcCount: 0,
    httpcTime: 0,
    params: null,
    traceId: null,
    spanId: null,
    parentSpanId: null,
    steps: [{ kind: 'sql', start: 1, elapsed: 10, text: 'SELECT * FROM orders WHERE id = ?', params: 'v1.a.b.c', fetch: 1 }],
    ...over,
    errorClass: errorLabel(over.errorClass ?? null, over.status ?? 200),
  };
}
