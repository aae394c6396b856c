import type { CounterPoint } from '../../src/api/counters';

/**
 * Counter samples of a project laid out per slot with running sums, so the sum of any window
 * is two reads: a cycle of 1,000 rules × 100 agents costs 100,000 look-ups, not a scan each.
 * Series are kept per agent and for the whole project (every agent's samples added).
 */
export interface WindowSums {
  txCount: number;
  txError: number;
  /** Σ respTime × txCount. */
  respSum: number;
  apdexSum: number;
  apdexWeight: number;
  /** Samples in the window (0: no data). */
  samples: number;
}

const FIELDS = ['txCount', 'txError', 'respSum', 'apdexSum', 'apdexWeight', 'samples'] as const;

export class CounterSeries {
  /** Running sums: cum[f][i] = Σ of slots before i. */
  private readonly cum: Record<(typeof FIELDS)[number], Float64Array>;
  /** Active transactions per slot: ≥ 3 s and ≥ 8 s (summed over processes and, for the project, agents). */
  readonly active3: Float64Array;
  readonly active8: Float64Array;
  /** The last slot index holding a sample, per slot (-1 before the first), for "inactive since". */
  readonly lastSample: Int32Array;

  constructor(readonly slots: number) {
    this.cum = Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(slots + 1)])) as CounterSeries['cum'];
    this.active3 = new Float64Array(slots);
    this.active8 = new Float64Array(slots);
    this.lastSample = new Int32Array(slots).fill(-1);
  }

  /** Adds a sample's values to slot i (before finish()). */
  add(i: number, p: CounterPoint): void {
    const c = this.cum;
    c.txCount[i + 1]! += p.txCount;
    c.txError[i + 1]! += p.txError;
    c.respSum[i + 1]! += p.respTime * p.txCount;
    if (p.apdex !== null && p.txCount > 0) {
      c.apdexSum[i + 1]! += p.apdex * p.txCount;
      c.apdexWeight[i + 1]! += p.txCount;
    }
    c.samples[i + 1]! += 1;
    this.active3[i]! += p.activeBands[1] + p.activeBands[2];
    this.active8[i]! += p.activeBands[2];
  }

  /** Turns the per-slot values into running sums. */
  finish(): void {
    for (const f of FIELDS) {
      const a = this.cum[f];
      for (let i = 1; i < a.length; i++) a[i]! += a[i - 1]!;
    }
    let last = -1;
    for (let i = 0; i < this.slots; i++) {
      if (this.cum.samples[i + 1]! > this.cum.samples[i]!) last = i;
      this.lastSample[i] = last;
    }
  }

  /** Sums over slots [a, b). */
  sums(a: number, b: number): WindowSums {
    const c = this.cum;
    return {
      txCount: c.txCount[b]! - c.txCount[a]!,
      txError: c.txError[b]! - c.txError[a]!,
      respSum: c.respSum[b]! - c.respSum[a]!,
      apdexSum: c.apdexSum[b]! - c.apdexSum[a]!,
      apdexWeight: c.apdexWeight[b]! - c.apdexWeight[a]!,
      samples: c.samples[b]! - c.samples[a]!,
    };
  }

  /** The largest active count of the band over slots [a, b). */
  maxActive(a: number, b: number, minSeconds: 3 | 8): number {
    const band = minSeconds === 3 ? this.active3 : this.active8;
    let max = 0;
    for (let i = a; i < b; i++) if (band[i]! > max) max = band[i]!;
    return max;
  }
}

/** A project's counters over [start, start + slots × step), per agent and in total. */
export class ProjectCounters {
  readonly agents = new Map<number, CounterSeries>();
  readonly project: CounterSeries;
  readonly slots: number;

  constructor(
    readonly start: number,
    readonly step: number,
    end: number,
    points: readonly CounterPoint[],
  ) {
    this.slots = Math.max(1, Math.ceil((end - start) / step));
    this.project = new CounterSeries(this.slots);
    for (const p of points) {
      const i = Math.floor((p.time - start) / step);
      if (i < 0 || i >= this.slots) continue;
      let s = this.agents.get(p.agentId);
      if (!s) this.agents.set(p.agentId, (s = new CounterSeries(this.slots)));
      s.add(i, p);
      this.project.add(i, p);
    }
    this.project.finish();
    for (const s of this.agents.values()) s.finish();
  }

  /** The slot range [a, b) of the window (to − windowMs, to]. */
  range(to: number, windowMs: number): [number, number] {
    const b = Math.floor((to - this.start) / this.step) + 1;
    const a = Math.floor((to - windowMs - this.start) / this.step) + 1;
    return [Math.min(this.slots, Math.max(0, a)), Math.min(this.slots, Math.max(0, b))];
  }

  /** An agent's series; an empty one for an agent without samples in the range. */
  agent(id: number): CounterSeries {
    let s = this.agents.get(id);
    if (!s) {
      if (!this.empty) {
        this.empty = new CounterSeries(this.slots);
        this.empty.finish();
      }
      s = this.empty;
    }
    return s;
  }
  private empty: CounterSeries | undefined;
}
