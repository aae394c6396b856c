import { z } from 'zod';

/** Agents report counters every 5 seconds: raw samples are stored per slot of this width. */
export const COUNTER_SLOT_MS = 5_000;
/** A counters answer has at most this many buckets per series (a chart is rarely wider in pixels). */
export const MAX_COUNTER_POINTS = 1_000;

const MINUTE = 60_000;
const MIB = 1024 * 1024;
/** Ranges up to this long may be answered at a step under a minute (read from the raw samples). */
const RAW_RANGE_MS = 3_600_000;
/** The steps the collector chooses from for a target point count: 5-second slots, then whole minutes. */
const SUB_MINUTE_STEPS = [5_000, 10_000, 15_000, 30_000];
const MINUTE_STEPS = [1, 2, 5, 10, 20, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE);

/** The buckets [from, to] spans at `step`: buckets start at multiples of the step. */
export const bucketCount = (from: number, to: number, step: number) =>
  Math.floor(to / step) - Math.floor(from / step) + 1;

/**
 * The agent filter: one agent id or several, comma-separated ("3" or "3,5,8"). Absent: the whole
 * project.
 */
const agentList = z
  .string()
  .regex(/^\d{1,15}(,\d{1,15}){0,999}$/, 'must be an agent id or a comma-separated list of agent ids')
  .transform((s) => [...new Set(s.split(',').map(Number))]);

export const counterQuerySchema = z
  .object({
    from: z.coerce.number().int().nonnegative(),
    to: z.coerce.number().int().nonnegative(),
    agent: agentList.optional(),
    /** Target point count (a chart asks for its width in pixels): the collector picks the step. */
    points: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number of points')
      .min(1, 'must be at least 1')
      .max(MAX_COUNTER_POINTS, `must be at most ${MAX_COUNTER_POINTS}`)
      .optional(),
    /** Bucket width, ms: a multiple of 5 s below a minute, of whole minutes from a minute up. */
    step: z.coerce
      .number({ invalid_type_error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(COUNTER_SLOT_MS, `must be at least ${COUNTER_SLOT_MS} ms (the agents report every 5 s)`)
      .multipleOf(COUNTER_SLOT_MS, `must be a multiple of ${COUNTER_SLOT_MS} ms (the agents report every 5 s)`)
      .refine((s) => s < MINUTE || s % MINUTE === 0, `must be whole minutes (a multiple of ${MINUTE} ms) from a minute up`)
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.step === undefined) return;
    if (q.points !== undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['step'], message: 'give step or points, not both' });
    } else if (q.to >= q.from && bucketCount(q.from, q.to, q.step) > MAX_COUNTER_POINTS + 1) {
      const least = Math.ceil((q.to - q.from) / MAX_COUNTER_POINTS / MINUTE) * MINUTE;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['step'],
        message: `gives more than ${MAX_COUNTER_POINTS} points over this range: use ${least} ms or more`,
      });
    }
  });
export type CounterQuery = z.input<typeof counterQuerySchema>;

/**
 * The step of an answer: the one asked for, otherwise the smallest of the collector's steps
 * that covers [from, to] in at most `points` buckets (default MAX_COUNTER_POINTS). Steps
 * under a minute (read from raw samples) only for ranges up to an hour.
 */
export function counterStep(from: number, to: number, ask: { step?: number; points?: number } = {}): number {
  if (ask.step !== undefined) return ask.step;
  const points = ask.points ?? MAX_COUNTER_POINTS;
  const span = Math.max(0, to - from);
  const ladder = span <= RAW_RANGE_MS ? [...SUB_MINUTE_STEPS, ...MINUTE_STEPS] : MINUTE_STEPS;
  const fits = ladder.find((s) => Math.ceil(span / s) <= points);
  return fits ?? Math.ceil(span / points / (1440 * MINUTE)) * 1440 * MINUTE;
}

/** One agent's counters over one 5-second slot, or averaged over one bucket. */
export const counterPointSchema = z.object({
  time: z.number(),
  agentId: z.number().int(),
  tps: z.number(),
  txCount: z.number(),
  txError: z.number(),
  respTime: z.number(),
  activeBands: z.tuple([z.number(), z.number(), z.number()]),
  cpu: z.number(),
  mem: z.number(),
  apdex: z.number().nullable(),
  dropped: z.number(),
});
export type CounterPoint = z.infer<typeof counterPointSchema>;

const values = z.array(z.number());
const optionalValues = z.array(z.number().nullable());

/**
 * Counters at a chart's resolution, column by column: one entry per bucket in `time` in every
 * array (null where an agent did not report). `total` is the selected agents together: counts
 * summed, TPS the sum of each agent's mean, response time and apdex weighted by transactions.
 * Per agent only what is charted per agent (CPU, memory, drops) plus its newest bucket whole.
 */
export const counterSeriesSchema = z
  .object({
    /** Bucket width, ms (5000: raw samples). */
    step: z.number().int(),
    /** Bucket starts (raw samples: the sample's time), ascending; only buckets with a sample. */
    time: values,
    total: z.object({
      /** How many agents reported in the bucket. */
      agents: z.array(z.number().int()),
      tps: values,
      txCount: values,
      txError: values,
      dropped: values,
      respTime: optionalValues,
      apdex: optionalValues,
    }),
    agents: z.array(
      z.object({
        agentId: z.number().int(),
        /** CPU, percent, to 0.1. */
        cpu: optionalValues,
        /** Memory, MiB, to 0.1 (as charted: full bytes would double the answer). */
        memMib: optionalValues,
        /** Buckets in which the agent dropped transactions: [bucket time, how many]. */
        drops: z.array(z.tuple([z.number(), z.number()])),
        latest: counterPointSchema,
      }),
    ),
  })
  .refine(
    (s) =>
      [...Object.values(s.total), ...s.agents.flatMap((a) => [a.cpu, a.memMib])].every((c) => c.length === s.time.length),
    'every column has one value per bucket',
  );
export type CounterSeries = z.infer<typeof counterSeriesSchema>;

/**
 * Builds the answer from per-agent points (one per agent and bucket, as the stores answer at
 * `step`), keeping the agents in `only` when given. Shared by the collector and the mock server.
 */
export function toCounterSeries(points: readonly CounterPoint[], step: number, only?: ReadonlySet<number>): CounterSeries {
  const kept = only ? points.filter((p) => only.has(p.agentId)) : points;
  const time = [...new Set(kept.map((p) => p.time))].sort((a, b) => a - b);
  const index = new Map(time.map((t, i) => [t, i]));
  const n = time.length;
  const zeros = () => new Array<number>(n).fill(0);
  const sums = { agents: zeros(), tps: zeros(), txCount: zeros(), txError: zeros(), dropped: zeros(), resp: zeros(), apdex: zeros(), apdexW: zeros() };
  const agents = new Map<number, CounterSeries['agents'][number]>();
  for (const p of kept) {
    const i = index.get(p.time)!;
    sums.agents[i]! += 1;
    sums.tps[i]! += p.tps;
    sums.txCount[i]! += p.txCount;
    sums.txError[i]! += p.txError;
    sums.dropped[i]! += p.dropped;
    sums.resp[i]! += p.respTime * p.txCount;
    if (p.apdex !== null && p.txCount > 0) {
      sums.apdex[i]! += p.apdex * p.txCount;
      sums.apdexW[i]! += p.txCount;
    }
    let a = agents.get(p.agentId);
    if (!a) {
      a = { agentId: p.agentId, cpu: new Array(n).fill(null), memMib: new Array(n).fill(null), drops: [], latest: p };
      agents.set(p.agentId, a);
    }
    a.cpu[i] = round(p.cpu, 10);
    a.memMib[i] = round(p.mem / MIB, 10);
    if (p.dropped > 0) a.drops.push([p.time, p.dropped]);
    if (p.time > a.latest.time) a.latest = p;
  }
  for (const a of agents.values()) a.drops.sort((x, y) => x[0] - y[0]);
  return {
    step,
    time,
    total: {
      agents: sums.agents,
      tps: sums.tps.map((v) => round(v, 1000)),
      txCount: sums.txCount.map((v) => round(v, 1000)),
      txError: sums.txError.map((v) => round(v, 1000)),
      dropped: sums.dropped.map((v) => round(v, 1000)),
      respTime: sums.resp.map((v, i) => (sums.txCount[i]! > 0 ? round(v / sums.txCount[i]!, 100) : null)),
      apdex: sums.apdex.map((v, i) => (sums.apdexW[i]! > 0 ? round(v / sums.apdexW[i]!, 10_000) : null)),
    },
    agents: [...agents.values()].sort((x, y) => x.agentId - y.agentId),
  };
}

/** Rounds to 1/scale: the answer carries no more digits than a chart shows. */
const round = (v: number, scale: number) => Math.round(v * scale) / scale;
