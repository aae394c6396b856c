import type { LicenseStore } from '../meta-store';
import { type LicenseDbRow, toLicense } from '../meta-rows';
import { MetaConflictError } from '../meta-errors';
import { type PgPool, uniqueViolation } from './pool';

/** License keys: only the public lookup and the secret's hash are stored. */
export function pgLicenseMethods(pool: PgPool): LicenseStore {
  const one = async (sql: string, args: unknown[]) => {
    const { rows } = await pool.query<LicenseDbRow>(sql, args);
    return rows[0] ? toLicense(rows[0]) : null;
  };
  return {
    createLicense: async (row) => {
      try {
        return (await one(
          `INSERT INTO licenses (pcode, lookup, secret_hash, label, created_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [row.pcode, row.lookup, row.secretHash, row.label, row.createdAt, row.createdBy],
        ))!;
      } catch (err) {
        if (uniqueViolation(err) !== null) throw new MetaConflictError('lookup', 'License lookup id collision; issue again.');
        throw err;
      }
    },
    listLicenses: async (pcode) =>
      (await pool.query<LicenseDbRow>('SELECT * FROM licenses WHERE pcode = $1 ORDER BY created_at DESC, id DESC', [pcode])).rows.map(
        toLicense,
      ),
    getLicenseByLookup: (lookup) => one('SELECT * FROM licenses WHERE lookup = $1', [lookup]),
    // COALESCE keeps the first revocation time when a key is revoked twice.
    revokeLicense: (pcode, id, now) =>
      one('UPDATE licenses SET revoked_at = COALESCE(revoked_at, $1) WHERE pcode = $2 AND id = $3 RETURNING *', [now, pcode, id]),
    // GREATEST: several connections of one key (on several collectors) report their times out of order.
    touchLicense: async (id, now) => {
      await pool.query('UPDATE licenses SET last_used_at = GREATEST(COALESCE(last_used_at, 0), $1) WHERE id = $2', [now, id]);
    },
  };
}
