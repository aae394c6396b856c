import type { MetaStore } from '../store/meta-store';
import type { IngestLog } from './config';

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

  constructor(
    private readonly meta: MetaStore,
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
    const since = this.connectedAt.get(agentId);
    this.connectedAt.delete(agentId);
    this.marked.add(agentId);
    await this.flush();
    // Conditional: the agent may already be connected to another collector.
    if (since !== undefined) await this.meta.clearAgentConnected(agentId, since);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.marked.size === 0) return;
      const ids = [...this.marked];
      this.marked = new Set();
      try {
        await this.meta.touchAgents(ids, Date.now());
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
