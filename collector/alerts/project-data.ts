import type { StatRow } from '../../src/api/stats';
import type { AgentRow } from '../store/meta-store';
import type { AgentLatency, TelemetryReader } from '../store/telemetry-store';
import { ProjectCounters } from './counter-windows';
import { type AlertReadCache, rollupMaxAgeMs } from './read-cache';

/**
 * What the rules of one project read in one evaluation, fetched once and shared by every rule:
 * the counters of the longest window (5-second samples, running sums), and per window length
 * the per-agent latency histograms and the per-transaction statistics — all from the store's
 * roll-ups and counters, never from raw transactions.
 */
export class ProjectData {
  private counterData: Promise<ProjectCounters> | undefined;
  private readonly latency = new Map<number, Promise<AgentLatency[]>>();
  private readonly stats = new Map<number, Promise<StatRow[]>>();

  constructor(
    readonly pcode: string,
    private readonly telemetry: TelemetryReader,
    /** The project's agents (meta), for inactivity and labels. */
    readonly agents: readonly AgentRow[],
    /** Evaluation time. */
    readonly now: number,
    /** The longest window any counter rule of the project needs, ms. */
    private readonly counterWindowMs: number,
    /** Counters already read over a longer range (the preview evaluates many instants on one read). */
    preloaded?: ProjectCounters,
    /** What the evaluator keeps between cycles; none: everything is read now. */
    private readonly cache?: AlertReadCache,
  ) {
    if (preloaded) this.counterData = Promise.resolve(preloaded);
  }

  /** Agent id → object name. */
  get agentNames(): ReadonlyMap<number, string> {
    this.names ??= new Map(this.agents.map((a) => [a.id, a.objectName]));
    return this.names;
  }
  private names: Map<number, string> | undefined;

  counters(): Promise<ProjectCounters> {
    this.counterData ??= (async () => {
      const from = this.now - this.counterWindowMs;
      const { step, points } = this.cache
        ? await this.cache.counterCache(this.pcode).read(this.telemetry, this.pcode, from, this.now)
        : await this.telemetry.counters(this.pcode, from, this.now);
      const start = Math.floor(from / step) * step;
      return new ProjectCounters(start, step, this.now + 1, points);
    })();
    return this.counterData;
  }

  /** Per agent, the transaction roll-ups of the window ending now. */
  latencyByAgent(windowMs: number): Promise<AgentLatency[]> {
    let p = this.latency.get(windowMs);
    if (!p) {
      const load = () => this.telemetry.latencyByAgent(this.pcode, this.now - windowMs, this.now);
      p = this.cache ? this.cache.rollup(`latency|${this.pcode}|${windowMs}`, this.now, rollupMaxAgeMs(windowMs), load) : load();
      this.latency.set(windowMs, p);
    }
    return p;
  }

  /** Per transaction name, the statistics of the window ending now. */
  transactionStats(windowMs: number): Promise<StatRow[]> {
    let p = this.stats.get(windowMs);
    if (!p) {
      const load = () => this.telemetry.stats(this.pcode, 'transactions', this.now - windowMs, this.now);
      p = this.cache ? this.cache.rollup(`stats|${this.pcode}|${windowMs}`, this.now, rollupMaxAgeMs(windowMs), load) : load();
      this.stats.set(windowMs, p);
    }
    return p;
  }
}
