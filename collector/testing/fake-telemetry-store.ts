import type { TelemetryStore } from '../store/telemetry-store';

/** A telemetry store that holds nothing and records project deletions; for console-API tests. */
export class FakeTelemetryStore implements TelemetryStore {
  readonly deletedProjects: string[] = [];
  closed = false;

  async writeTransactions(txs: readonly unknown[]) {
    return txs.length;
  }
  async writeCounters() {}
  async hitmap() {
    return { points: [], cursor: 0 };
  }
  async listTransactions() {
    return { transactions: [], total: 0 };
  }
  async getProfile() {
    return null;
  }
  async counters() {
    return { step: 5000, points: [] };
  }
  async stats() {
    return [];
  }
  async latestCounters() {
    return new Map();
  }
  async deleteProject(pcode: string) {
    this.deletedProjects.push(pcode);
  }
  async applyRetention() {
    return { deleted: 0 };
  }
  async close() {
    this.closed = true;
  }
}
