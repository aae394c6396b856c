import type { AgentStore } from '../meta-store';
import type { AgentDbRow } from '../meta-rows';
import { appPidsColumn, withAppPids } from '../app-pids';
import type { SqliteDatabase } from './db';

/** The agent registry: one row per project + object name, so a reconnect is the same agent. */
export function agentMethods(db: SqliteDatabase): AgentStore {
  const upsert = db.prepare(
    `INSERT INTO agents (pcode, object_name, app_name, process_name, hostname, ip, pid,
                         agent_version, python_version, first_seen, last_seen)
     VALUES (@pcode, @objectName, @appName, @processName, @hostname, @ip, @pid,
             @agentVersion, @pythonVersion, @now, @now)
     ON CONFLICT (pcode, object_name) DO UPDATE SET
       app_name = excluded.app_name, process_name = excluded.process_name, hostname = excluded.hostname,
       ip = excluded.ip, pid = excluded.pid, agent_version = excluded.agent_version,
       python_version = excluded.python_version, last_seen = MAX(last_seen, excluded.last_seen)
     RETURNING *`,
  );
  const touch = db.prepare('UPDATE agents SET last_seen = MAX(last_seen, ?) WHERE id = ?');
  const setPids = db.prepare('UPDATE agents SET app_pids = ? WHERE id = ?');
  const touchAll = db.transaction((ids: readonly number[], now: number, appPids?: ReadonlyMap<number, readonly number[]>) => {
    for (const id of ids) touch.run(now, id);
    for (const [id, pids] of appPids ?? []) setPids.run(appPidsColumn(pids), id);
  });
  const connected = db.prepare('UPDATE agents SET connected_at = ? WHERE id = ?');
  const disconnected = db.prepare('UPDATE agents SET connected_at = NULL WHERE id = ? AND connected_at = ?');
  const list = db.prepare('SELECT * FROM agents WHERE pcode = ? ORDER BY object_name');
  const count = db.prepare('SELECT COUNT(*) AS n FROM agents WHERE pcode = ?');
  const expire = db.prepare('DELETE FROM agents WHERE last_seen < ? AND connected_at IS NULL');

  return {
    upsertAgent: async (pcode, hello, now) =>
      withAppPids(
        upsert.get({
          pcode,
          objectName: hello.objectName,
          appName: hello.appName,
          processName: hello.processName,
          hostname: hello.hostname,
          ip: hello.ip,
          pid: hello.pid,
          agentVersion: hello.agentVersion,
          pythonVersion: hello.pythonVersion,
          now,
        }) as AgentDbRow & { app_pids: string },
      ),
    touchAgents: async (ids, now, appPids) => {
      if (ids.length > 0 || (appPids && appPids.size > 0)) touchAll(ids, now, appPids);
    },
    setAgentConnected: async (id, connectedAt) => {
      connected.run(connectedAt, id);
    },
    clearAgentConnected: async (id, connectedAt) => {
      disconnected.run(id, connectedAt);
    },
    listAgents: async (pcode) => (list.all(pcode) as Array<AgentDbRow & { app_pids: string }>).map(withAppPids),
    countAgents: async (pcode) => (count.get(pcode) as { n: number }).n,
    deleteInactiveAgents: async (before) => expire.run(before).changes,
  };
}
