import type { StatKind, StatRow } from '../../src/api/stats';
import { seedTransactions, type SeedTransaction } from './transactions-seed';

/**
 * Statistics of the mock project, rolled up from the seeded transactions the way the
 * collector does (URL, normalized SQL, HTTP-call URL, error class), so an error's example
 * transaction opens a real mock profile.
 */
class Acc {
  count = 0;
  errors = 0;
  sqlTime = 0;
  httpcTime = 0;
  max = 0;
  total = 0;
  readonly elapsed: number[] = [];
  message?: string;
  url?: string;
  lastSeen?: number;
  exampleTxid?: string;

  add(elapsed: number, failed: boolean): void {
    this.count++;
    if (failed) this.errors++;
    this.total += elapsed;
    if (elapsed > this.max) this.max = elapsed;
    this.elapsed.push(elapsed);
  }

  row(key: string): StatRow {
    const sorted = Float64Array.from(this.elapsed).sort();
    // Nearest-rank percentile.
    const pct = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
    const r1 = (v: number) => Math.round(v * 10) / 10;
    return {
      key,
      count: this.count,
      errors: this.errors,
      avg: r1(this.total / this.count),
      p50: r1(pct(50)),
      p95: r1(pct(95)),
      p99: r1(pct(99)),
      max: r1(this.max),
      total: r1(this.total),
    };
  }
}

function entry(map: Map<string, Acc>, key: string): Acc {
  let acc = map.get(key);
  if (!acc) map.set(key, (acc = new Acc()));
  return acc;
}

const failedTx = (tx: SeedTransaction) => tx.error !== null || tx.status >= 500;

function rollUp(kind: StatKind, txs: readonly SeedTransaction[]): StatRow[] {
  const map = new Map<string, Acc>();
  for (const tx of txs) {
    const route = tx.route;
    if (kind === 'transactions') {
      const acc = entry(map, tx.url);
      acc.add(tx.elapsed, failedTx(tx));
      acc.sqlTime += tx.sqlTime;
      acc.httpcTime += tx.httpcTime;
    } else if (kind === 'sql') {
      // The seed's profiles spread a transaction's SQL time over its statements; a failing
      // database call fails the transaction's last statement.
      const each = tx.sqlCount > 0 ? tx.sqlTime / tx.sqlCount : 0;
      const dbError = tx.error === 'OperationalError' || tx.error === 'IntegrityError';
      for (let i = 0; i < tx.sqlCount; i++) {
        entry(map, route.queries[i % route.queries.length]!).add(each, dbError && i === tx.sqlCount - 1);
      }
    } else if (kind === 'httpc') {
      if (route.httpc && tx.httpcCount > 0) entry(map, route.httpc).add(tx.httpcTime, tx.error !== null);
    } else {
      const label = tx.error ?? (tx.status >= 500 ? `HTTP ${tx.status}` : null);
      if (label === null) continue;
      const acc = entry(map, label);
      acc.add(tx.elapsed, true);
      if (acc.lastSeen === undefined || tx.end >= acc.lastSeen) {
        acc.lastSeen = tx.end;
        acc.message = route.error?.[1] ?? '';
        acc.url = tx.url;
        acc.exampleTxid = tx.txid;
      }
    }
  }
  return [...map.entries()].map(([key, acc]) => {
    const row = acc.row(key);
    if (kind === 'transactions') {
      row.sqlTime = Math.round(acc.sqlTime * 10) / 10;
      row.httpcTime = Math.round(acc.httpcTime * 10) / 10;
    }
    if (kind === 'errors') {
      row.message = acc.message;
      row.url = acc.url;
      row.lastSeen = acc.lastSeen;
      row.exampleTxid = acc.exampleTxid;
    }
    return row;
  });
}

/** The statistics of `kind` for transactions ending in [from, to], optionally of one agent. */
export function seedStats(kind: StatKind, from: number, to: number, agentId?: number, now: number = Date.now()): StatRow[] {
  let txs = seedTransactions(from, to, now);
  if (agentId !== undefined) txs = txs.filter((tx) => tx.agentId === agentId);
  return rollUp(kind, txs);
}
