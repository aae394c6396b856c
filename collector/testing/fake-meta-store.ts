import type { ProjectRole } from '../../src/api/projects';
import type {
  AgentHello,
  AgentRow,
  AuditEntry,
  LicenseRow,
  MetaStore,
  ProjectRow,
  SessionRow,
  UserRow,
} from '../store/meta-store';
import { lastAdmin, onlyOwner } from '../store/meta-errors';

/**
 * An in-memory MetaStore, left only for the two ingest tests that read its rows and call
 * counts directly (ingest/handshake.test.ts, ingest/hardening.test.ts); every other test uses
 * the real SQLite store on a temporary file. Behaves like the contract says, including agent
 * identity by project + object name; counts calls so tests can assert batching.
 */
export class FakeMetaStore implements MetaStore {
  users: UserRow[] = [];
  sessions = new Map<string, SessionRow>();
  projects = new Map<string, ProjectRow>();
  members = new Map<string, Map<number, ProjectRole>>();
  licenses: LicenseRow[] = [];
  agents: AgentRow[] = [];
  auditLog: AuditEntry[] = [];
  private nextAgentId = 1;
  calls = { getLicenseByLookup: 0, touchAgents: 0, touchLicense: 0, upsertAgent: 0 };

  async countUsers() {
    return this.users.length;
  }
  async createFirstAdmin(username: string, passwordHash: string, now: number) {
    if (this.users.length > 0) return null;
    return this.createUser(username, passwordHash, true, now);
  }
  async createUser(username: string, passwordHash: string, admin: boolean, now: number) {
    const row: UserRow = { id: this.users.length + 1, username, passwordHash, admin, createdAt: now, disabledAt: null };
    this.users.push(row);
    return row;
  }
  async getUserByName(username: string) {
    return this.users.find((u) => u.username === username) ?? null;
  }
  async getUser(id: number) {
    return this.users.find((u) => u.id === id) ?? null;
  }
  async listUsers() {
    return [...this.users];
  }
  private isLastAdmin(u: UserRow) {
    return u.admin && u.disabledAt === null && !this.users.some((o) => o !== u && o.admin && o.disabledAt === null);
  }
  async setUserDisabled(id: number, disabledAt: number | null) {
    const i = this.users.findIndex((u) => u.id === id);
    if (i < 0) return null;
    const user = this.users[i]!;
    if (disabledAt !== null) {
      if (this.isLastAdmin(user)) throw lastAdmin('disabled');
      await this.deleteUserSessions(id);
      if (user.disabledAt !== null) return user;
    }
    this.users[i] = { ...user, disabledAt };
    return this.users[i]!;
  }
  async deleteUser(id: number) {
    const user = this.users.find((u) => u.id === id);
    if (!user) return false;
    if (this.isLastAdmin(user)) throw lastAdmin(undefined);
    const owned = [...this.members]
      .filter(([pcode, m]) => !this.projects.get(pcode)?.deletedAt && m.get(id) === 'owner')
      .filter(([, m]) => [...m.values()].filter((r) => r === 'owner').length === 1)
      .map(([pcode]) => this.projects.get(pcode)!.name);
    if (owned.length > 0) throw onlyOwner(user.username, owned);
    await this.deleteUserSessions(id);
    for (const m of this.members.values()) m.delete(id);
    this.users = this.users.filter((u) => u !== user);
    return true;
  }

  async createSession(row: SessionRow) {
    this.sessions.set(row.tokenHash, row);
  }
  async getSession(tokenHash: string) {
    return this.sessions.get(tokenHash) ?? null;
  }
  async deleteSession(tokenHash: string) {
    this.sessions.delete(tokenHash);
  }
  async deleteUserSessions(userId: number) {
    let n = 0;
    for (const [k, s] of this.sessions) if (s.userId === userId && this.sessions.delete(k)) n++;
    return n;
  }
  async deleteExpiredSessions(now: number) {
    let n = 0;
    for (const [k, s] of this.sessions) if (s.expiresAt <= now && this.sessions.delete(k)) n++;
    return n;
  }

  async createProject(row: Omit<ProjectRow, 'deletedAt'>, ownerId: number) {
    const p: ProjectRow = { ...row, deletedAt: null };
    this.projects.set(p.pcode, p);
    this.members.set(p.pcode, new Map([[ownerId, 'owner' as ProjectRole]]));
    return p;
  }
  async getProject(pcode: string) {
    return this.projects.get(pcode) ?? null;
  }
  async listProjects(userId: number) {
    const out: Array<ProjectRow & { role: ProjectRole }> = [];
    for (const p of this.projects.values()) {
      const role = this.members.get(p.pcode)?.get(userId);
      if (role && p.deletedAt === null) out.push({ ...p, role });
    }
    return out;
  }
  async findProjectByName(name: string) {
    return [...this.projects.values()].find((p) => p.name === name && p.deletedAt === null) ?? null;
  }
  async updateProject(pcode: string, patch: Partial<Pick<ProjectRow, 'name' | 'group' | 'timezone'>>) {
    const p = this.projects.get(pcode);
    if (!p) return null;
    Object.assign(p, patch);
    return p;
  }
  async deleteProject(pcode: string) {
    const p = this.projects.get(pcode);
    if (p) p.deletedAt = Date.now();
    this.licenses = this.licenses.filter((l) => l.pcode !== pcode);
    this.agents = this.agents.filter((a) => a.pcode !== pcode);
  }
  async getRole(pcode: string, userId: number) {
    return this.members.get(pcode)?.get(userId) ?? null;
  }
  async listMembers(pcode: string) {
    return [...(this.members.get(pcode) ?? new Map<number, ProjectRole>())].map(([userId, role]) => ({
      userId,
      username: this.users.find((u) => u.id === userId)?.username ?? '',
      role,
    }));
  }
  async setMember(pcode: string, userId: number, role: ProjectRole) {
    if (!this.members.has(pcode)) this.members.set(pcode, new Map());
    this.members.get(pcode)!.set(userId, role);
  }

  async removeMember(pcode: string, userId: number) {
    this.members.get(pcode)?.delete(userId);
  }

  async createLicense(row: Omit<LicenseRow, 'id' | 'lastUsedAt' | 'revokedAt'>) {
    const l: LicenseRow = { ...row, id: this.licenses.length + 1, lastUsedAt: null, revokedAt: null };
    this.licenses.push(l);
    return l;
  }
  async listLicenses(pcode: string) {
    return this.licenses.filter((l) => l.pcode === pcode);
  }
  async getLicenseByLookup(lookup: string) {
    this.calls.getLicenseByLookup++;
    return this.licenses.find((l) => l.lookup === lookup) ?? null;
  }
  async revokeLicense(pcode: string, id: number, now: number) {
    const l = this.licenses.find((x) => x.pcode === pcode && x.id === id);
    if (!l) return null;
    l.revokedAt = now;
    return l;
  }
  async touchLicense(id: number, now: number) {
    this.calls.touchLicense++;
    const l = this.licenses.find((x) => x.id === id);
    if (l) l.lastUsedAt = now;
  }

  async upsertAgent(pcode: string, hello: AgentHello, now: number) {
    this.calls.upsertAgent++;
    let a = this.agents.find((x) => x.pcode === pcode && x.objectName === hello.objectName);
    if (a) {
      Object.assign(a, hello, { lastSeen: now });
    } else {
      a = { ...hello, id: this.nextAgentId++, pcode, firstSeen: now, lastSeen: now, connectedAt: null, appPids: [] };
      this.agents.push(a);
    }
    return { ...a };
  }
  async touchAgents(ids: readonly number[], now: number, appPids?: ReadonlyMap<number, readonly number[]>) {
    this.calls.touchAgents++;
    for (const a of this.agents) {
      if (ids.includes(a.id)) a.lastSeen = Math.max(a.lastSeen, now);
      const pids = appPids?.get(a.id);
      if (pids) a.appPids = [...pids];
    }
  }
  async setAgentConnected(id: number, connectedAt: number | null) {
    const a = this.agents.find((x) => x.id === id);
    if (a) a.connectedAt = connectedAt;
  }
  async clearAgentConnected(id: number, connectedAt: number) {
    const a = this.agents.find((x) => x.id === id);
    if (a && a.connectedAt === connectedAt) a.connectedAt = null;
  }
  async listAgents(pcode: string) {
    return this.agents.filter((a) => a.pcode === pcode).map((a) => ({ ...a }));
  }

  async countAgents(pcode: string) {
    return this.agents.filter((a) => a.pcode === pcode).length;
  }
  async deleteInactiveAgents(before: number) {
    const n = this.agents.length;
    this.agents = this.agents.filter((a) => a.connectedAt !== null || a.lastSeen >= before);
    return n - this.agents.length;
  }

  async audit(entry: AuditEntry) {
    this.auditLog.push(entry);
  }
  async listAudit(limit: number) {
    return this.auditLog.slice(-limit).reverse();
  }

  async close() {}
}
