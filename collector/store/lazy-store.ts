/**
 * Stores of network engines (PostgreSQL, ClickHouse) that connect on first use and again
 * after a failure: a database may be down when the collector starts, or restart later.
 * lazyStore() wraps any store interface without listing its methods.
 */

export interface StoreLog {
  /** A store could not connect or migrate; `what` names the engine and host, never a password. */
  error(what: string, err: Error): void;
}

/** After a failed connect, calls fail at once for this long instead of each trying again. */
const RETRY_AFTER_MS = 1000;
/** The same failure is logged at most this often. */
const LOG_EVERY_MS = 30_000;

/** Opens a store on first use (and again after a failure, at most every RETRY_AFTER_MS); close() closes it. */
export class Connector<T extends { close(): Promise<void> }> {
  private value: T | null = null;
  private pending: Promise<T> | null = null;
  private failure: { err: Error; at: number } | null = null;
  private logged: { message: string; at: number } | null = null;
  private closed = false;

  constructor(
    private readonly what: string,
    private readonly open: () => Promise<T>,
    private readonly log: StoreLog,
  ) {}

  get current(): T | null {
    return this.value;
  }

  get(): Promise<T> {
    if (this.value) return Promise.resolve(this.value);
    if (this.closed) return Promise.reject(new Error(`${this.what}: store is closed`));
    if (this.failure && Date.now() - this.failure.at < RETRY_AFTER_MS) return Promise.reject(this.failure.err);
    this.pending ??= this.open().then(
      (v) => {
        this.pending = null;
        this.failure = null;
        if (this.closed) {
          void v.close();
          throw new Error(`${this.what}: store is closed`);
        }
        this.value = v;
        return v;
      },
      (e: unknown) => {
        this.pending = null;
        const err = e instanceof Error ? e : new Error(String(e));
        this.failure = { err, at: Date.now() };
        this.report(err);
        throw err;
      },
    );
    return this.pending;
  }

  private report(err: Error): void {
    const now = Date.now();
    if (this.logged && this.logged.message === err.message && now - this.logged.at < LOG_EVERY_MS) return;
    this.logged = { message: err.message, at: now };
    this.log.error(`cannot open ${this.what} (retrying on next use)`, err);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pending?.catch(() => {});
    const v = this.value;
    this.value = null;
    await v?.close();
  }
}

type Method = (...args: unknown[]) => unknown;

/**
 * The store behind `connector`, as a `T`: each method call waits for the connection (or
 * fails with the reason it cannot be made), then runs on the connected store. `ready()`
 * only connects. The synchronous methods of `T` must have an answer for the time before the
 * connection in `whileConnecting` (e.g. `backlog: () => 0`: nothing is buffered yet).
 */
export function lazyStore<T extends { close(): Promise<void> }>(
  connector: Connector<T>,
  whileConnecting: Partial<T> = {},
): T & { ready(): Promise<void> } {
  const early = whileConnecting as Record<string, Method | undefined>;
  return new Proxy({} as T & { ready(): Promise<void> }, {
    get: (_target, name: string | symbol) => {
      if (name === 'close') return () => connector.close();
      if (name === 'ready') return async () => void (await connector.get());
      // Not a thenable: `await store` must not call a method.
      if (typeof name !== 'string' || name === 'then') return undefined;
      const run = (store: T, args: unknown[]) => (store[name as keyof T] as Method).apply(store, args);
      const before = early[name];
      return (...args: unknown[]) => {
        const store = connector.current;
        if (store) return run(store, args);
        if (before) return before(...args);
        return connector.get().then((s) => run(s, args));
      };
    },
  });
}
