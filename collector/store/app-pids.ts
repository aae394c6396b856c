import type { AgentRow } from './meta-store';
import { type AgentDbRow, toAgent } from './meta-rows';

/** How the agents table keeps an agent's app pids: "1240,1241,1242" (no JSON to trust). */
export function appPidsColumn(pids: readonly number[]): string {
  return pids.join(',');
}

/** An agents row with its app pids read back; anything that is not a pid is left out. */
export function withAppPids(row: AgentDbRow & { app_pids?: string | null }): AgentRow {
  const appPids = (row.app_pids ?? '')
    .split(',')
    .filter((p) => /^\d{1,10}$/.test(p))
    .map(Number);
  return { ...toAgent(row), appPids };
}
