import { encodeHitmap } from '../src/api/hitmap';
import type { MetaStore } from './store/meta-store';
import type { TelemetryStore } from './store/telemetry-store';
import type { StoreLog } from './stores';

/** After a failed connect, calls fail at once for this long instead of each trying again. */
const RETRY_AFTER_MS = 1000;
/** The same failure is logged at most this often. */
const LOG_EVERY_MS = 30_000;

/**
 * A store that connects (and migrates) on first use, and again after a failure: a network
 * database may be down when the collector starts or restart later. `ready()` waits for it.
 */
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

/** The PostgreSQL meta store behind a Connector; every method waits for the connection. */
export function lazyMetaStore(what: string, open: () => Promise<MetaStore>, log: StoreLog): MetaStore & { ready(): Promise<void> } {
  const c = new Connector(what, open, log);
  const s = () => c.get();
  return {
    ready: async () => void (await s()),
    countUsers: async () => (await s()).countUsers(),
    createFirstAdmin: async (...a) => (await s()).createFirstAdmin(...a),
    createUser: async (...a) => (await s()).createUser(...a),
    getUserByName: async (...a) => (await s()).getUserByName(...a),
    getUser: async (...a) => (await s()).getUser(...a),
    listUsers: async () => (await s()).listUsers(),
    setUserDisabled: async (...a) => (await s()).setUserDisabled(...a),
    deleteUser: async (...a) => (await s()).deleteUser(...a),
    createSession: async (...a) => (await s()).createSession(...a),
    getSession: async (...a) => (await s()).getSession(...a),
    deleteSession: async (...a) => (await s()).deleteSession(...a),
    deleteUserSessions: async (...a) => (await s()).deleteUserSessions(...a),
    deleteExpiredSessions: async (...a) => (await s()).deleteExpiredSessions(...a),
    createProject: async (...a) => (await s()).createProject(...a),
    getProject: async (...a) => (await s()).getProject(...a),
    listProjects: async (...a) => (await s()).listProjects(...a),
    findProjectByName: async (...a) => (await s()).findProjectByName(...a),
    updateProject: async (...a) => (await s()).updateProject(...a),
    deleteProject: async (...a) => (await s()).deleteProject(...a),
    getRole: async (...a) => (await s()).getRole(...a),
    listMembers: async (...a) => (await s()).listMembers(...a),
    setMember: async (...a) => (await s()).setMember(...a),
    removeMember: async (...a) => (await s()).removeMember(...a),
    createLicense: async (...a) => (await s()).createLicense(...a),
    listLicenses: async (...a) => (await s()).listLicenses(...a),
    getLicenseByLookup: async (...a) => (await s()).getLicenseByLookup(...a),
    revokeLicense: async (...a) => (await s()).revokeLicense(...a),
    touchLicense: async (...a) => (await s()).touchLicense(...a),
    upsertAgent: async (...a) => (await s()).upsertAgent(...a),
    touchAgents: async (...a) => (await s()).touchAgents(...a),
    setAgentConnected: async (...a) => (await s()).setAgentConnected(...a),
    clearAgentConnected: async (...a) => (await s()).clearAgentConnected(...a),
    listAgents: async (...a) => (await s()).listAgents(...a),
    countAgents: async (...a) => (await s()).countAgents(...a),
    deleteInactiveAgents: async (...a) => (await s()).deleteInactiveAgents(...a),
    audit: async (...a) => (await s()).audit(...a),
    listAudit: async (...a) => (await s()).listAudit(...a),
    close: () => c.close(),
  };
}

/** The ClickHouse telemetry store behind a Connector. */
export function lazyTelemetryStore(
  what: string,
  open: () => Promise<TelemetryStore>,
  log: StoreLog,
): TelemetryStore & { ready(): Promise<void> } {
  const c = new Connector(what, open, log);
  const s = () => c.get();
  return {
    ready: async () => void (await s()),
    writeTransactions: async (...a) => (await s()).writeTransactions(...a),
    writeCounters: async (...a) => (await s()).writeCounters(...a),
    hitmap: async (...a) => (await s()).hitmap(...a),
    hitmapEncoded: async (pcode, q) => {
      const store = await s();
      if (store.hitmapEncoded) return store.hitmapEncoded(pcode, q);
      const { points, cursor } = await store.hitmap(pcode, q);
      return encodeHitmap(points, cursor);
    },
    listTransactions: async (...a) => (await s()).listTransactions(...a),
    getProfile: async (...a) => (await s()).getProfile(...a),
    counters: async (...a) => (await s()).counters(...a),
    stats: async (...a) => (await s()).stats(...a),
    latestCounters: async (...a) => (await s()).latestCounters(...a),
    latencyByAgent: async (...a) => (await s()).latencyByAgent?.(...a) ?? [],
    deleteProject: async (...a) => (await s()).deleteProject(...a),
    applyRetention: async (...a) => (await s()).applyRetention(...a),
    // Synchronous by contract: nothing is buffered before the store is connected.
    backlog: () => c.current?.backlog?.() ?? 0,
    close: () => c.close(),
  };
}
