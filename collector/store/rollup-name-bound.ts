/**
 * The cardinality bound of the statistics roll-ups: per project, kind (transactions, sql,
 * httpc, errors) and UTC day, the first STAT_TX_MAX_COUNT distinct keys keep their own rows;
 * every later new key of that day is rolled up under OVERFLOW_KEY, so an agent that sends a
 * new transaction name per request cannot grow the statistics tables without bound.
 *
 * The bound is kept in the memory of the process that writes roll-ups: after a restart, or
 * across several collectors writing one project, a day can hold up to that many more keys
 * (docs/asgi.md "The overflow row").
 */

/** The agent's default `stat_tx_max_count`; the collector bounds every project with it. */
export const STAT_TX_MAX_COUNT = 5000;

/**
 * The key of the overflow row. The Python agent names its own overflow transactions the same
 * (agent/src/whatap/tracer/naming.py OVERFLOW_NAME), so both land in one row; the console
 * explains the row (src/features/stats/lib/overflow.ts). A test checks the three agree.
 */
export const OVERFLOW_KEY = '/{overflow: stat_tx_max_count reached}';

const DAY = 86_400_000;
/** Days kept in memory: today, plus late data (resends after an outage) for the two before. */
const DAYS_KEPT = 3;

export class NameBound {
  /** day -> `${pcode}\0${kind}` -> keys admitted that day */
  private readonly days = new Map<number, Map<string, Set<string>>>();
  /** Keys counted under OVERFLOW_KEY since start (for logs and tests). */
  overflowed = 0;

  constructor(readonly maxCount = STAT_TX_MAX_COUNT) {}

  /** The key a roll-up row of `key` at time `t` (epoch ms) is written under. */
  admit(pcode: string, kind: number, key: string, t: number): string {
    if (key === OVERFLOW_KEY) return key;
    const keys = this.keysOf(pcode, kind, Math.floor(t / DAY));
    if (keys.has(key)) return key;
    if (keys.size >= this.maxCount) {
      this.overflowed += 1;
      return OVERFLOW_KEY;
    }
    keys.add(key);
    return key;
  }

  /** The last set looked up: a flush is mostly one project's transactions in one day. */
  private last: { pcode: string; kind: number; day: number; keys: Set<string> } | null = null;

  private keysOf(pcode: string, kind: number, day: number): Set<string> {
    const last = this.last;
    if (last !== null && last.day === day && last.kind === kind && last.pcode === pcode) return last.keys;
    const keys = this.lookUp(pcode, kind, day);
    this.last = { pcode, kind, day, keys };
    return keys;
  }

  private lookUp(pcode: string, kind: number, day: number): Set<string> {
    let projects = this.days.get(day);
    if (!projects) {
      projects = new Map();
      this.days.set(day, projects);
      if (this.days.size > DAYS_KEPT) {
        const oldest = Math.min(...[...this.days.keys()].filter((d) => d !== day));
        this.days.delete(oldest);
        this.last = null;
      }
    }
    const id = `${pcode}\u0000${kind}`;
    let keys = projects.get(id);
    if (!keys) {
      keys = new Set();
      projects.set(id, keys);
    }
    return keys;
  }
}

/** One bound per process, shared by every accumulator its writers create. */
export const processNameBound = new NameBound();
