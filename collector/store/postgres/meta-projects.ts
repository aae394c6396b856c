import type { ProjectRole } from '../../../src/api/projects';
import type { ProjectStore } from '../meta-store';
import { type ProjectDbRow, toProject } from '../meta-rows';
import { MetaConflictError, projectNameTaken } from '../meta-errors';
import { inTransaction, type PgPool, uniqueViolation } from './pool';

const UPSERT_MEMBER = `INSERT INTO members (pcode, user_id, role) VALUES ($1, $2, $3)
  ON CONFLICT (pcode, user_id) DO UPDATE SET role = excluded.role`;

/** Projects and their members. `now` dates deletions (the interface's deleteProject takes no time). */
export function pgProjectMethods(pool: PgPool, now: () => number): ProjectStore {
  const one = async (sql: string, args: unknown[]) => {
    const { rows } = await pool.query<ProjectDbRow>(sql, args);
    return rows[0] ? toProject(rows[0]) : null;
  };

  return {
    createProject: async (row, ownerId) => {
      try {
        // Project and owner in one transaction: never a project nobody can see.
        return await inTransaction(pool, async (client) => {
          const { rows } = await client.query<ProjectDbRow>(
            'INSERT INTO projects (pcode, name, region, grp, timezone, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
            [row.pcode, row.name, row.region, row.group, row.timezone, row.createdAt],
          );
          await client.query(UPSERT_MEMBER, [row.pcode, ownerId, 'owner']);
          return toProject(rows[0]!);
        });
      } catch (err) {
        const which = uniqueViolation(err);
        if (which === 'projects_live_name') throw projectNameTaken(row.name);
        if (which !== null) throw new MetaConflictError('pcode', `The project code "${row.pcode}" is taken.`);
        throw err;
      }
    },
    getProject: (pcode) => one('SELECT * FROM projects WHERE pcode = $1', [pcode]),
    listProjects: async (userId) => {
      const { rows } = await pool.query<ProjectDbRow & { role: ProjectRole }>(
        `SELECT p.*, m.role FROM projects p JOIN members m ON m.pcode = p.pcode
         WHERE m.user_id = $1 AND p.deleted_at IS NULL ORDER BY lower(p.name) COLLATE "C", p.pcode`,
        [userId],
      );
      return rows.map((r) => ({ ...toProject(r), role: r.role }));
    },
    findProjectByName: (name) => one('SELECT * FROM projects WHERE lower(name) = lower($1) AND deleted_at IS NULL', [name]),
    updateProject: async (pcode, patch) => {
      try {
        // COALESCE keeps the fields the patch leaves out; a tombstone is never updated.
        return await one(
          `UPDATE projects SET name = COALESCE($2, name), grp = COALESCE($3, grp), timezone = COALESCE($4, timezone)
           WHERE pcode = $1 AND deleted_at IS NULL RETURNING *`,
          [pcode, patch.name ?? null, patch.group ?? null, patch.timezone ?? null],
        );
      } catch (err) {
        if (uniqueViolation(err) !== null) throw projectNameTaken(patch.name ?? '');
        throw err;
      }
    },
    deleteProject: async (pcode) => {
      await inTransaction(pool, async (client) => {
        for (const table of ['agents', 'licenses', 'members'])
          await client.query(`DELETE FROM ${table} WHERE pcode = $1`, [pcode]);
        await client.query('UPDATE projects SET deleted_at = $1 WHERE pcode = $2 AND deleted_at IS NULL', [now(), pcode]);
      });
    },
    getRole: async (pcode, userId) => {
      const { rows } = await pool.query<{ role: ProjectRole }>(
        `SELECT m.role FROM members m JOIN projects p ON p.pcode = m.pcode
         WHERE m.pcode = $1 AND m.user_id = $2 AND p.deleted_at IS NULL`,
        [pcode, userId],
      );
      return rows[0]?.role ?? null;
    },
    listMembers: async (pcode) => {
      const { rows } = await pool.query<{ user_id: number; username: string; role: ProjectRole }>(
        `SELECT m.user_id, u.username, m.role FROM members m JOIN users u ON u.id = m.user_id
         WHERE m.pcode = $1 ORDER BY lower(u.username) COLLATE "C", u.id`,
        [pcode],
      );
      return rows.map((r) => ({ userId: r.user_id, username: r.username, role: r.role }));
    },
    setMember: async (pcode, userId, role) => {
      await pool.query(UPSERT_MEMBER, [pcode, userId, role]);
    },
    removeMember: async (pcode, userId) => {
      await pool.query('DELETE FROM members WHERE pcode = $1 AND user_id = $2', [pcode, userId]);
    },
  };
}
