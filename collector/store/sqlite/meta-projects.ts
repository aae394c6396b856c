import type { ProjectRole } from '../../../src/api/projects';
import type { ProjectStore, ProjectRow } from '../meta-store';
import { type ProjectDbRow, toProject } from '../meta-rows';
import type { SqliteDatabase } from './db';
import { MetaConflictError, projectNameTaken } from '../meta-errors';
import { isUniqueViolation } from './meta-errors';

/** Projects and their members. `now` dates deletions (the interface's deleteProject takes no time). */
export function projectMethods(db: SqliteDatabase, now: () => number): ProjectStore {
  const insert = db.prepare(
    'INSERT INTO projects (pcode, name, region, grp, timezone, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
  );
  const deleteMember = db.prepare('DELETE FROM members WHERE pcode = ? AND user_id = ?');
  const insertMember = db.prepare(
    `INSERT INTO members (pcode, user_id, role) VALUES (?, ?, ?)
     ON CONFLICT (pcode, user_id) DO UPDATE SET role = excluded.role`,
  );
  const get = db.prepare('SELECT * FROM projects WHERE pcode = ?');
  const list = db.prepare(
    `SELECT p.*, m.role FROM projects p JOIN members m ON m.pcode = p.pcode
     WHERE m.user_id = ? AND p.deleted_at IS NULL ORDER BY p.name COLLATE NOCASE`,
  );
  const byName = db.prepare('SELECT * FROM projects WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL');
  const role = db.prepare(
    `SELECT m.role FROM members m JOIN projects p ON p.pcode = m.pcode
     WHERE m.pcode = ? AND m.user_id = ? AND p.deleted_at IS NULL`,
  );
  const members = db.prepare(
    `SELECT m.user_id, u.username, m.role FROM members m JOIN users u ON u.id = m.user_id
     WHERE m.pcode = ? ORDER BY u.username COLLATE NOCASE`,
  );

  const updateRow = db.prepare('UPDATE projects SET name = ?, grp = ?, timezone = ? WHERE pcode = ? RETURNING *');

  // Project and owner in one transaction: never a project nobody can see.
  const create = db.transaction((row: Omit<ProjectRow, 'deletedAt'>, ownerId: number) => {
    const created = insert.get(row.pcode, row.name, row.region, row.group, row.timezone, row.createdAt) as ProjectDbRow;
    insertMember.run(row.pcode, ownerId, 'owner');
    return toProject(created);
  });

  const update = db.transaction((pcode: string, patch: Partial<Pick<ProjectRow, 'name' | 'group' | 'timezone'>>) => {
    const current = get.get(pcode) as ProjectDbRow | undefined;
    if (!current || current.deleted_at !== null) return null;
    const next = {
      name: patch.name ?? current.name,
      grp: patch.group ?? current.grp,
      timezone: patch.timezone ?? current.timezone,
    };
    return toProject(updateRow.get(next.name, next.grp, next.timezone, pcode) as ProjectDbRow);
  });

  const removeStatements = [
    db.prepare('DELETE FROM agents WHERE pcode = ?'),
    db.prepare('DELETE FROM licenses WHERE pcode = ?'),
    db.prepare('DELETE FROM members WHERE pcode = ?'),
  ];
  const markDeleted = db.prepare('UPDATE projects SET deleted_at = ? WHERE pcode = ? AND deleted_at IS NULL');
  const remove = db.transaction((pcode: string, at: number) => {
    for (const stmt of removeStatements) stmt.run(pcode);
    markDeleted.run(at, pcode);
  });

  return {
    createProject: async (row, ownerId) => {
      try {
        return create.immediate(row, ownerId);
      } catch (err) {
        if (isUniqueViolation(err) && (err as Error).message.includes('projects.name')) throw projectNameTaken(row.name);
        if (isUniqueViolation(err)) throw new MetaConflictError('pcode', `The project code "${row.pcode}" is taken.`);
        throw err;
      }
    },
    getProject: async (pcode) => {
      const r = get.get(pcode) as ProjectDbRow | undefined;
      return r ? toProject(r) : null;
    },
    listProjects: async (userId) =>
      (list.all(userId) as Array<ProjectDbRow & { role: ProjectRole }>).map((r) => ({ ...toProject(r), role: r.role })),
    findProjectByName: async (name) => {
      const r = byName.get(name) as ProjectDbRow | undefined;
      return r ? toProject(r) : null;
    },
    updateProject: async (pcode, patch) => {
      try {
        return update.immediate(pcode, patch);
      } catch (err) {
        if (isUniqueViolation(err)) throw projectNameTaken(patch.name ?? '');
        throw err;
      }
    },
    deleteProject: async (pcode) => {
      remove.immediate(pcode, now());
    },
    getRole: async (pcode, userId) => {
      const r = role.get(pcode, userId) as { role: ProjectRole } | undefined;
      return r?.role ?? null;
    },
    listMembers: async (pcode) =>
      (members.all(pcode) as Array<{ user_id: number; username: string; role: ProjectRole }>).map((r) => ({
        userId: r.user_id,
        username: r.username,
        role: r.role,
      })),
    setMember: async (pcode, userId, r) => {
      insertMember.run(pcode, userId, r);
    },
    removeMember: async (pcode, userId) => {
      deleteMember.run(pcode, userId);
    },
  };
}
