import type { RetentionPolicy } from '../telemetry-store';
import { type ClickHouse, str } from './ch-client';
import { RAW_TABLES, ROLLUP_TABLES } from './ch-schema';

const DAY = 86_400_000;
const ALL_TABLES = [...RAW_TABLES, ...ROLLUP_TABLES];
/** Views' target tables: they count rows the user never sees as such. */
const DERIVED_TABLES: ReadonlySet<string> = new Set(['tx_id', 'tx_hit', 'tx_trace', 'agent_latest']);

/** `20251125` → epoch ms of that UTC day's end. */
function partitionEnd(partition: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(partition);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + DAY : Number.POSITIVE_INFINITY;
}

/**
 * Retention without TTL (18.16 has none): a day partition is dropped once all of that day is
 * older than the limit. Dropping a partition is instant and writes nothing, unlike deleting
 * rows; the price is up to one extra day kept. Several collectors may run this at once:
 * dropping a partition that is already gone is a no-op.
 */
export async function dropExpiredPartitions(ch: ClickHouse, policy: RetentionPolicy, now: number): Promise<{ deleted: number }> {
  const parts = await ch.rows<{ table: string; partition: string; rows: number }>(
    `SELECT table, partition, sum(rows) AS rows FROM system.parts
     WHERE database = ${str(ch.target.database)} AND active AND table IN (${ALL_TABLES.map(str).join(', ')})
     GROUP BY table, partition`,
  );
  const rawBefore = now - policy.rawDays * DAY;
  const rollupBefore = now - policy.rollupDays * DAY;
  let deleted = 0;
  for (const p of parts) {
    const limit = (RAW_TABLES as readonly string[]).includes(p.table) ? rawBefore : rollupBefore;
    if (partitionEnd(p.partition) > limit) continue;
    await ch.exec(`ALTER TABLE ${p.table} DROP PARTITION ${Number(p.partition)}`);
    // Count transactions, samples, roll-ups.
    if (!DERIVED_TABLES.has(p.table)) deleted += p.rows;
  }
  return { deleted };
}

/**
 * Deletes every row of a project with ALTER … DELETE mutations and waits until ClickHouse
 * has applied them, so that the project's data is gone when this resolves. Mutations rewrite
 * parts in the background; deleting a project is rare enough for that cost.
 */
export async function deleteProjectRows(ch: ClickHouse, pcode: string, timeoutMs = 120_000): Promise<void> {
  for (const table of ALL_TABLES) await ch.exec(`ALTER TABLE ${table} DELETE WHERE pcode = ${str(pcode)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await ch.rows<{ n: number }>(
      `SELECT count() AS n FROM system.mutations WHERE database = ${str(ch.target.database)} AND is_done = 0`,
    );
    if ((row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`deleting project ${pcode}: ClickHouse mutations still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
