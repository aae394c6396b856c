import type { AgentStore } from '../store/meta-store';
import type { IngestLog } from './config';

/** An app process that sent no counter (one every 5 s) for this long is gone from the list. */
export const APP_PID_TTL_MS = 30_000;

/**
 * Keeps the agent registry's "last seen" and "connected" fields current without a
 * database write per frame: frames only mark an agent in memory, and the marks are
 * written with one touchAgents call per interval.
 */
export class AgentTracker {
  private marked = new Set<number>();
  private readonly connections = new Map<number, number>();
  /** When this collector marked each connected agent connected (for the conditional clear). */
  private readonly connectedAt = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  /**
   * Per connected agent: each app process's pid → its newest counter's time (the agent's clock)
   * and when that arrived (ours), plus the newest counter time of any of its processes.
   */
  private readonly processes = new Map<number, { newest: number; pids: Map<number, { time: number; seenAt: number }> }>();
  /** Per agent: the pid list last written, so only a change is written. */
  private readonly written = new Map<number, string>();

  constructor(
    private readonly meta: AgentStore,
    private readonly log: IngestLog,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** A heartbeat or data from the agent. */
  seen(agentId: number): void {
    this.marked.add(agentId);
  }

  /**
   * Counters from the agent: each names the app process (worker) it is from. Resent old
   * counters (after an outage) do not bring back processes that have since ended.
   */
  appProcesses(agentId: number, samples: ReadonlyArray<{ pid?: number; time: number }>, now = Date.now()): void {
    let agent = this.processes.get(agentId);
    if (!agent) this.processes.set(agentId, (agent = { newest: 0, pids: new Map() }));
    for (const { pid, time } of samples) {
      if (!pid) continue;
      agent.newest = Math.max(agent.newest, time);
      const known = agent.pids.get(pid);
      if (!known || time >= known.time) agent.pids.set(pid, { time, seenAt: now });
    }
  }

  /** The agents whose app process list changed since it was last written, with the new list. */
  private changedAppPids(now: number): Map<number, number[]> {
    const changed = new Map<number, number[]>();
    for (const [agentId, agent] of this.processes) {
      // Gone: no counter for a while here, or none as recent as its siblings' (by the agent's
      // own clock, so a skewed clock or a resent backlog does not matter).
      for (const [pid, p] of agent.pids) {
        if (p.seenAt < now - APP_PID_TTL_MS || p.time < agent.newest - APP_PID_TTL_MS) agent.pids.delete(pid);
      }
      const list = [...agent.pids.keys()].sort((x, y) => x - y);
      const key = list.join(',');
      if (this.written.get(agentId) === key) continue;
      // No counter yet (a fresh connection): keep what is stored rather than erase it.
      if (list.length === 0 && !this.written.has(agentId)) continue;
      changed.set(agentId, list);
    }
    return changed;
  }

  async connected(agentId: number, now: number): Promise<void> {
    this.connections.set(agentId, (this.connections.get(agentId) ?? 0) + 1);
    this.connectedAt.set(agentId, now);
    await this.meta.setAgentConnected(agentId, now);
  }

  /** Only the agent's last connection closing marks it disconnected (a reconnect may overlap). */
  async disconnected(agentId: number): Promise<void> {
    const n = (this.connections.get(agentId) ?? 1) - 1;
    if (n > 0) {
      this.connections.set(agentId, n);
      return;
    }
    this.connections.delete(agentId);
    this.processes.delete(agentId);
    this.written.delete(agentId);
    const since = this.connectedAt.get(agentId);
    this.connectedAt.delete(agentId);
    this.marked.add(agentId);
    await this.flush();
    // Conditional: the agent may already be connected to another collector.
    if (since !== undefined) await this.meta.clearAgentConnected(agentId, since);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const now = Date.now();
      const appPids = this.changedAppPids(now);
      if (this.marked.size === 0 && appPids.size === 0) return;
      const ids = [...this.marked];
      this.marked = new Set();
      try {
        await this.meta.touchAgents(ids, now, appPids);
        for (const [agentId, list] of appPids) if (this.processes.has(agentId)) this.written.set(agentId, list.join(','));
      } catch (err) {
        this.log.warn({ err: String(err), agents: ids.length }, 'ingest: could not mark agents seen');
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
