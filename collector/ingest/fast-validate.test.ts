import { describe, expect, it } from 'vitest';
import { seededRandom, TrafficGenerator } from '../demo/generator';
import { fastTransactionRecord } from './fast-validate';
import { wireTransactionSchema } from '../../src/api/wire';
import { toTransactionRecord } from './records';

const who = { pcode: 'aaaaaaaa', agentId: 3, objectName: 'shop-0-12-gunicorn' };

/** Every path to a value inside the object (keys and array indexes). */
function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof v !== 'object' || v === null) return [prefix];
  const out: Array<Array<string | number>> = [prefix];
  for (const [k, child] of Object.entries(v)) out.push(...paths(child, [...prefix, Array.isArray(v) ? Number(k) : k]));
  return out;
}

function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const REPLACEMENTS: unknown[] = [
  undefined, null, -1, 0, 1.5, 999, 1000, 1e20, Number.POSITIVE_INFINITY, Number.NaN, '', 'x', 'GET', 'sql', 'bad id!',
  'x'.repeat(300), 'y'.repeat(70_000), 'z'.repeat(16_000), 'z'.repeat(16_001), true, [], {}, [1, 2], { class: 'E' }, { class: 5 },
];

/** The transaction with the W3C trace context fields an agent sends, and a span id on an HTTP-call step. */
function withTraceContext(tx: object): object {
  const t = tx as { steps?: Array<{ kind: string }> };
  const steps = (t.steps ?? []).map((s, i) => (i === 0 ? { ...s, kind: 'httpc', spanId: '00f067aa0ba902b7' } : s));
  return { ...tx, steps, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: 'a3ce929d0e0e4736', parentSpanId: '53995c3f42cd8ad8' };
}

/** The fast path may decline (null), but whatever it accepts must equal zod's verdict and output. */
function expectAgreement(input: unknown): 'fast' | 'declined' | 'invalid' {
  const fast = fastTransactionRecord(who, input);
  const slow = wireTransactionSchema.safeParse(input);
  if (fast === null) return slow.success ? 'declined' : 'invalid';
  expect(slow.success, JSON.stringify(input).slice(0, 200)).toBe(true);
  expect(fast).toEqual(toTransactionRecord(who, slow.data!));
  return 'fast';
}

describe('fast transaction validation', () => {
  it('accepts what the generator sends, exactly as zod does', () => {
    const gen = new TrafficGenerator({ seed: 11, cipher: { salt: Buffer.alloc(16), key: Buffer.alloc(32) } });
    for (let i = 0; i < 300; i++) expect(expectAgreement(gen.transaction(1_764_057_600_000 + i))).toBe('fast');
    // Minimal transaction: every optional field absent.
    expect(expectAgreement({ txid: 'abcdefgh', start: 0, end: 1, elapsed: 1, url: '/' })).toBe('fast');
    expect(expectAgreement(withTraceContext(gen.transaction(1_764_057_600_000)))).toBe('fast');
  });

  it('never accepts what zod rejects, under single-field mutations', () => {
    const gen = new TrafficGenerator({ seed: 12 });
    const rand = seededRandom(99);
    const counts = { fast: 0, declined: 0, invalid: 0 };
    for (let n = 0; n < 40; n++) {
      const tx = JSON.parse(JSON.stringify(withTraceContext(gen.transaction(1_764_057_600_000 + n)))) as unknown;
      for (const path of paths(tx)) {
        for (const value of REPLACEMENTS) {
          if (rand() > 0.35) continue;
          counts[expectAgreement(setAt(tx, path, value))]++;
        }
      }
    }
    // Both verdicts were exercised, and the fast path rarely needs zod for valid input.
    expect(counts.invalid).toBeGreaterThan(1000);
    expect(counts.fast).toBeGreaterThan(1000);
    expect(counts.declined).toBeLessThan(counts.fast / 20);
  });
});
