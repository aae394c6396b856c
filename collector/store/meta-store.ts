import type { ProjectRole } from '../../src/api/projects';

/**
 * The meta store, split by domain: UserStore (users, sessions), ProjectStore (projects,
 * members), LicenseStore, AgentStore, AuditStore; MetaStore is all of them plus close().
 * Engines: sqlite/ (embedded default), postgres/ (scale-out). Every method resolves
 * only after the write is durable. Times are epoch ms.
 */
export interface UserRow {
  id: number;
  username: string;
  passwordHash: string;
  admin: boolean;
  createdAt: number;
  /** When an administrator disabled the account; null while it may sign in. */
  disabledAt: number | null;
}

export interface SessionRow {
  /** sha256 of the session token; the token itself is never stored. */
  tokenHash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
}

export interface ProjectRow {
  pcode: string;
  name: string;
  region: string;
  group: string;
  timezone: string;
  createdAt: number;
  deletedAt: number | null;
}

export interface LicenseRow {
  id: number;
  pcode: string;
  /** Public lookup id carried in the key (its visible prefix). */
  lookup: string;
  /** sha256 of the key's secret part; compared in constant time. */
  secretHash: string;
  label: string;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AgentRow {
  id: number;
  pcode: string;
  objectName: string;
  appName: string;
  processName: string;
  hostname: string;
  ip: string;
  pid: number;
  agentVersion: string;
  pythonVersion: string;
  firstSeen: number;
  lastSeen: number;
  /** When the agent's current connection started (null when disconnected). */
  connectedAt: number | null;
  /** The app processes (workers) the agent last reported counters for, sorted; [] until it reports any. */
  appPids: number[];
}

export interface AgentHello {
  objectName: string;
  appName: string;
  processName: string;
  hostname: string;
  ip: string;
  pid: number;
  agentVersion: string;
  pythonVersion: string;
}

export interface AuditEntry {
  time: number;
  actor: string;
  action: string;
  target: string;
  detail: string;
  ip: string;
}

/** Users and their sessions (sign-in, administration). */
export interface UserStore {
  countUsers(): Promise<number>;
  /** Creates the first admin only when no user exists; false when one does (race-safe). */
  createFirstAdmin(username: string, passwordHash: string, now: number): Promise<UserRow | null>;
  createUser(username: string, passwordHash: string, admin: boolean, now: number): Promise<UserRow>;
  getUserByName(username: string): Promise<UserRow | null>;
  getUser(id: number): Promise<UserRow | null>;
  /** Every user, ordered by username (for administrators; callers drop the hash before answering). */
  listUsers(): Promise<UserRow[]>;
  /**
   * Disables the user at `disabledAt` (their sessions end in the same transaction; an already
   * disabled user keeps the first time) or enables them (null). Refuses with MetaConflictError
   * to disable the last enabled administrator. Null when there is no such user.
   */
  setUserDisabled(id: number, disabledAt: number | null): Promise<UserRow | null>;
  /**
   * Deletes the user with their sessions and memberships. Refuses with MetaConflictError to
   * delete the last enabled administrator or the only owner of a project (naming it). False
   * when there is no such user.
   */
  deleteUser(id: number): Promise<boolean>;

  createSession(row: SessionRow): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRow | null>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;
  /** Ends every session of the user ("sign out everywhere"); returns how many. */
  deleteUserSessions(userId: number): Promise<number>;
}

/** Projects and their members (roles). */
export interface ProjectStore {
  createProject(row: Omit<ProjectRow, 'deletedAt'>, ownerId: number): Promise<ProjectRow>;
  getProject(pcode: string): Promise<ProjectRow | null>;
  /** Projects the user is a member of, with the role. */
  listProjects(userId: number): Promise<Array<ProjectRow & { role: ProjectRole }>>;
  findProjectByName(name: string): Promise<ProjectRow | null>;
  updateProject(pcode: string, patch: Partial<Pick<ProjectRow, 'name' | 'group' | 'timezone'>>): Promise<ProjectRow | null>;
  /** Deletes the project, its members, licenses and agents. */
  deleteProject(pcode: string): Promise<void>;
  getRole(pcode: string, userId: number): Promise<ProjectRole | null>;
  listMembers(pcode: string): Promise<Array<{ userId: number; username: string; role: ProjectRole }>>;
  setMember(pcode: string, userId: number, role: ProjectRole): Promise<void>;
  removeMember(pcode: string, userId: number): Promise<void>;
}

/** License keys of projects (the console manages them; ingest checks them). */
export interface LicenseStore {
  createLicense(row: Omit<LicenseRow, 'id' | 'lastUsedAt' | 'revokedAt'>): Promise<LicenseRow>;
  listLicenses(pcode: string): Promise<LicenseRow[]>;
  getLicenseByLookup(lookup: string): Promise<LicenseRow | null>;
  revokeLicense(pcode: string, id: number, now: number): Promise<LicenseRow | null>;
  touchLicense(id: number, now: number): Promise<void>;
}

/** The agents that connected (ingest writes them; the console lists them). */
export interface AgentStore {
  /** Finds the agent by project + object name, or creates it; updates versions, host, pid. */
  upsertAgent(pcode: string, hello: AgentHello, now: number): Promise<AgentRow>;
  /**
   * Marks agents seen (heartbeat or data) — batched by the caller — and stores the app
   * processes of those in `appPids` (agent id → pids, sorted), when their set changed.
   */
  touchAgents(ids: readonly number[], now: number, appPids?: ReadonlyMap<number, readonly number[]>): Promise<void>;
  setAgentConnected(id: number, connectedAt: number | null): Promise<void>;
  /**
   * Marks the agent disconnected only if its connection is still the one that started at
   * `connectedAt`: with several collectors, a late disconnect from one must not override the
   * agent's newer connection to another.
   */
  clearAgentConnected(id: number, connectedAt: number): Promise<void>;
  listAgents(pcode: string): Promise<AgentRow[]>;
  countAgents(pcode: string): Promise<number>;
  /** Deletes agents not connected and not seen since `before`; returns how many. */
  deleteInactiveAgents(before: number): Promise<number>;
}

/** The audit log of administrative actions. */
export interface AuditStore {
  audit(entry: AuditEntry): Promise<void>;
  listAudit(limit: number): Promise<AuditEntry[]>;
}

/**
 * The whole meta store, as an engine opens it (each engine writes one file per part:
 * meta-users.ts, meta-projects.ts, …). Consumers take the narrow parts they use.
 */
export interface MetaStore extends UserStore, ProjectStore, LicenseStore, AgentStore, AuditStore {
  close(): Promise<void>;
}
