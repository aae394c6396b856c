import { FailureLimiter } from './rate-limit';

const WINDOW_MS = 15 * 60_000;

export type Admission =
  | { kind: 'refused'; retryAfterMs: number; reason: 'too_many_failures' | 'busy' }
  | { kind: 'admitted'; release(succeeded: boolean): void; wait(): Promise<void> };

export interface SignInGuardOptions {
  /** Failures per username + address before 429 (default 5 per 15 min). */
  maxPerSource?: number;
  /** Failures per address across usernames (password spraying); generous: a NAT shares one. */
  maxPerIp?: number;
  /** Failures per username from anywhere before its attempts are serialised behind a delay. */
  maxPerUsername?: number;
  /** The delay between two serialised attempts for one username; default 1 s. */
  laneDelayMs?: number;
  /** Serialised attempts waiting per username before 429; default 8. */
  maxLaneDepth?: number;
  /** Sign-ins admitted and not yet answered (waiting for or in scrypt); default 64. */
  maxPending?: number;
}

/**
 * The sign-in limits. Every attempt is counted when it is admitted, before the password is
 * verified, so parallel guesses cannot all pass a check made before any is recorded.
 * - per username + address: 5 per 15 minutes, then 429;
 * - per address: 100 per 15 minutes, then 429;
 * - per username from anywhere: beyond 5, attempts are not refused (a correct password must not
 *   be locked out by strangers' failures) but go one at a time behind a delay, which bounds
 *   guessing from many addresses to one try per delay; a full lane answers 429;
 * - at most `maxPending` sign-ins wait for scrypt at once (password.ts runs 2 at a time).
 */
export class SignInGuard {
  private readonly perSource: FailureLimiter;
  private readonly perIp: FailureLimiter;
  private readonly perUsername: FailureLimiter;
  private readonly lanes = new Map<string, { tail: Promise<void>; depth: number }>();
  private pending = 0;

  constructor(private readonly options: SignInGuardOptions = {}) {
    this.perSource = new FailureLimiter({ max: options.maxPerSource ?? 5, windowMs: WINDOW_MS });
    this.perIp = new FailureLimiter({ max: options.maxPerIp ?? 100, windowMs: WINDOW_MS });
    this.perUsername = new FailureLimiter({ max: options.maxPerUsername ?? 5, windowMs: WINDOW_MS });
  }

  /** Admits or refuses one attempt; synchronous, so the count is taken before any other attempt runs. */
  admit(username: string, ip: string, now: number): Admission {
    const user = username.toLowerCase();
    const source = `${user}\n${ip}`;
    const wait = Math.max(this.perSource.retryAfterMs(source, now), this.perIp.retryAfterMs(ip, now));
    if (wait > 0) return { kind: 'refused', retryAfterMs: wait, reason: 'too_many_failures' };
    if (this.pending >= (this.options.maxPending ?? 64)) return { kind: 'refused', retryAfterMs: 5_000, reason: 'busy' };
    const serialised = this.perUsername.retryAfterMs(user, now) > 0;
    const lane = this.lanes.get(user);
    if (serialised && (lane?.depth ?? 0) >= (this.options.maxLaneDepth ?? 8))
      return { kind: 'refused', retryAfterMs: this.options.laneDelayMs ?? 1_000, reason: 'too_many_failures' };

    this.perSource.fail(source, now);
    this.perIp.fail(ip, now);
    this.perUsername.fail(user, now);
    this.pending++;
    let released = false;
    return {
      kind: 'admitted',
      wait: () => (serialised ? this.queue(user) : Promise.resolve()),
      release: (succeeded) => {
        if (released) return;
        released = true;
        this.pending--;
        if (!succeeded) return;
        // A correct password clears its own source; it does not wipe what strangers did.
        this.perSource.reset(source);
        this.perIp.forget(ip, now);
        this.perUsername.forget(user, now);
      },
    };
  }

  /** Recent failures of this username from this address (the answer's delay grows with them). */
  failures(username: string, ip: string, now: number): number {
    return this.perSource.count(`${username.toLowerCase()}\n${ip}`, now);
  }

  private queue(user: string): Promise<void> {
    const lane = this.lanes.get(user) ?? { tail: Promise.resolve(), depth: 0 };
    lane.depth++;
    const delayMs = this.options.laneDelayMs ?? 1_000;
    const mine = lane.tail.then(() => new Promise<void>((resolve) => setTimeout(resolve, delayMs)));
    lane.tail = mine;
    this.lanes.set(user, lane);
    return mine.then(() => {
      lane.depth--;
      if (lane.depth === 0 && this.lanes.get(user) === lane) this.lanes.delete(user);
    });
  }
}
