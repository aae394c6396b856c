import type { AgentStore } from '../meta-store';
import type { AgentDbRow } from '../meta-rows';
import { appPidsColumn, withAppPids } from '../app-pids';
import type { PgPool } from './pool';

/**
 * The agent registry: one row per project + object name, so a reconnect (to any collector)
 * is the same agent. The upsert is one statement, so two collectors greeting the same agent
 * at once still make one row.
 */
export function pgAgentMethods(pool: PgPool): AgentStore {
  return {
    upsertAgent: async (pcode, hello, now) => {
      const { rows } = await pool.query<AgentDbRow & { app_pids: string }>(
        `INSERT INTO agents (pcode, object_name, app_name, process_name, hostname, ip, pid,
                             agent_version, python_version, first_seen, last_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (pcode, object_name) DO UPDATE SET
           app_name = excluded.app_name, process_name = excluded.process_name, hostname = excluded.hostname,
           ip = excluded.ip, pid = excluded.pid, agent_version = excluded.agent_version,
           python_version = excluded.python_version, last_seen = GREATEST(agents.last_seen, excluded.last_seen)
         RETURNING *`,
        [pcode, hello.objectName, hello.appName, hello.processName, hello.hostname, hello.ip, hello.pid,
          hello.agentVersion, hello.pythonVersion, now],
      );
      return withAppPids(rows[0]!);
    },
    touchAgents: async (ids, now, appPids) => {
      if (ids.length > 0) {
        await pool.query('UPDATE agents SET last_seen = GREATEST(last_seen, $1) WHERE id = ANY($2::bigint[])', [now, [...ids]]);
      }
      for (const [id, pids] of appPids ?? []) {
        await pool.query('UPDATE agents SET app_pids = $1 WHERE id = $2', [appPidsColumn(pids), id]);
      }
    },
    setAgentConnected: async (id, connectedAt) => {
      await pool.query('UPDATE agents SET connected_at = $1 WHERE id = $2', [connectedAt, id]);
    },
    clearAgentConnected: async (id, connectedAt) => {
      await pool.query('UPDATE agents SET connected_at = NULL WHERE id = $1 AND connected_at = $2', [id, connectedAt]);
    },
    listAgents: async (pcode) =>
      (
        await pool.query<AgentDbRow & { app_pids: string }>('SELECT * FROM agents WHERE pcode = $1 ORDER BY object_name COLLATE "C"', [pcode])
      ).rows.map(withAppPids),
    countAgents: async (pcode) =>
      Number((await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM agents WHERE pcode = $1', [pcode])).rows[0]!.n),
    deleteInactiveAgents: async (before) =>
      (await pool.query('DELETE FROM agents WHERE last_seen < $1 AND connected_at IS NULL', [before])).rowCount ?? 0,
  };
}
