import type { CounterRecord, TransactionRecord } from '../telemetry-store';
import { type ClickHouse, num, str } from './ch-client';

/** Values per look-up query (sent with a raised max_query_size: one query for a whole flush). */
const CHUNK = 20_000;
/** A gap this long between sorted times starts another range (one range per burst of resends). */
const GAP_MS = 60_000;

/**
 * `(col >= a AND col <= b) OR …` over the sorted times, widened by 1 ms: ClickHouse reads
 * only the primary-key ranges around them, and the margin absorbs any difference between how
 * a float was parsed on insert and in this literal.
 */
export function rangeCondition(col: string, sortedTimes: readonly number[]): string {
  const ranges: Array<[number, number]> = [];
  for (const t of sortedTimes) {
    const last = ranges[ranges.length - 1];
    if (last && t - last[1] <= GAP_MS) last[1] = t;
    else ranges.push([t, t]);
  }
  return ranges.map(([a, b]) => `(${col} >= ${num(a - 1)} AND ${col} <= ${num(b + 1)})`).join(' OR ');
}

function byProject<T extends { pcode: string }>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    let list = m.get(it.pcode);
    if (!list) m.set(it.pcode, (list = []));
    list.push(it);
  }
  return m;
}

/** Which of these transactions are stored already, as `pcode \0 txid` keys. */
export async function findStoredTxids(ch: ClickHouse, txs: readonly TransactionRecord[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const [pcode, list] of byProject(txs)) {
    list.sort((a, b) => a.end - b.end);
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      const rows = await ch.rows<{ txid: string }>(
        `SELECT txid FROM tx WHERE pcode = ${str(pcode)} AND (${rangeCondition('end_ms', chunk.map((t) => t.end))})
         AND txid IN (${chunk.map((t) => str(t.txid)).join(',')})`,
        { longQuery: true },
      );
      for (const r of rows) found.add(`${pcode}\u0000${r.txid}`);
    }
  }
  return found;
}

/** Which of these counter samples (time already the slot) are stored, as `pcode \0 agent \0 pid \0 slot` keys. */
export async function findStoredCounters(ch: ClickHouse, counters: readonly CounterRecord[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const [pcode, list] of byProject(counters)) {
    list.sort((a, b) => a.time - b.time);
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      const agents = [...new Set(chunk.map((c) => c.agentId))];
      const rows = await ch.rows<{ time: number; agent_id: number; pid: number }>(
        `SELECT time, agent_id, pid FROM counter WHERE pcode = ${str(pcode)}
         AND (${rangeCondition('time', chunk.map((c) => c.time))}) AND agent_id IN (${agents.map(num).join(',')})`,
        { longQuery: true },
      );
      for (const r of rows) found.add(`${pcode}\u0000${r.agent_id}\u0000${r.pid}\u0000${r.time}`);
    }
  }
  return found;
}
