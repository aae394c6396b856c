import type { LicenseStore } from '../meta-store';
import { type LicenseDbRow, toLicense } from '../meta-rows';
import type { SqliteDatabase } from './db';
import { MetaConflictError } from '../meta-errors';
import { isUniqueViolation } from './meta-errors';

/** License keys: only the public lookup and the secret's hash are stored. */
export function licenseMethods(db: SqliteDatabase): LicenseStore {
  const insert = db.prepare(
    `INSERT INTO licenses (pcode, lookup, secret_hash, label, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const list = db.prepare('SELECT * FROM licenses WHERE pcode = ? ORDER BY created_at DESC, id DESC');
  const byLookup = db.prepare('SELECT * FROM licenses WHERE lookup = ?');
  // COALESCE keeps the first revocation time when a key is revoked twice.
  const revoke = db.prepare(
    'UPDATE licenses SET revoked_at = COALESCE(revoked_at, ?) WHERE pcode = ? AND id = ? RETURNING *',
  );
  // MAX: several connections of one key report their times out of order.
  const touch = db.prepare('UPDATE licenses SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?');

  return {
    createLicense: async (row) => {
      try {
        return toLicense(
          insert.get(row.pcode, row.lookup, row.secretHash, row.label, row.createdAt, row.createdBy) as LicenseDbRow,
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw new MetaConflictError('lookup', 'License lookup id collision; issue again.');
        throw err;
      }
    },
    listLicenses: async (pcode) => (list.all(pcode) as LicenseDbRow[]).map(toLicense),
    getLicenseByLookup: async (lookup) => {
      const r = byLookup.get(lookup) as LicenseDbRow | undefined;
      return r ? toLicense(r) : null;
    },
    revokeLicense: async (pcode, id, now) => {
      const r = revoke.get(now, pcode, id) as LicenseDbRow | undefined;
      return r ? toLicense(r) : null;
    },
    touchLicense: async (id, now) => {
      touch.run(now, id);
    },
  };
}
