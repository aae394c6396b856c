import type { AgentRow, LicenseRow, ProjectRow, SessionRow, UserRow } from './meta-store';

/**
 * The meta tables' rows as every engine's driver returns them (snake_case columns, ids and
 * times as numbers), and their mapping to the store's rows. The columns are the same in
 * sqlite/ and postgres/; only the SQL that reads them differs, and stays in each engine.
 */

export interface UserDbRow {
  id: number;
  username: string;
  password_hash: string;
  admin: boolean;
  created_at: number;
  disabled_at: number | null;
}

export const toUser = (r: UserDbRow): UserRow => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  admin: r.admin,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

export interface SessionDbRow {
  token_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export const toSession = (r: SessionDbRow): SessionRow => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export interface ProjectDbRow {
  pcode: string;
  name: string;
  region: string;
  grp: string;
  timezone: string;
  created_at: number;
  deleted_at: number | null;
}

export const toProject = (r: ProjectDbRow): ProjectRow => ({
  pcode: r.pcode,
  name: r.name,
  region: r.region,
  group: r.grp,
  timezone: r.timezone,
  createdAt: r.created_at,
  deletedAt: r.deleted_at,
});

export interface LicenseDbRow {
  id: number;
  pcode: string;
  lookup: string;
  secret_hash: string;
  label: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
}

export const toLicense = (r: LicenseDbRow): LicenseRow => ({
  id: r.id,
  pcode: r.pcode,
  lookup: r.lookup,
  secretHash: r.secret_hash,
  label: r.label,
  createdAt: r.created_at,
  createdBy: r.created_by,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export interface AgentDbRow {
  id: number;
  pcode: string;
  object_name: string;
  app_name: string;
  process_name: string;
  hostname: string;
  ip: string;
  pid: number;
  agent_version: string;
  python_version: string;
  first_seen: number;
  last_seen: number;
  connected_at: number | null;
}

/** The columns of an agents row; withAppPids (app-pids.ts) adds the app pids. */
export const toAgent = (r: AgentDbRow): Omit<AgentRow, 'appPids'> => ({
  id: r.id,
  pcode: r.pcode,
  objectName: r.object_name,
  appName: r.app_name,
  processName: r.process_name,
  hostname: r.hostname,
  ip: r.ip,
  pid: r.pid,
  agentVersion: r.agent_version,
  pythonVersion: r.python_version,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  connectedAt: r.connected_at,
});
