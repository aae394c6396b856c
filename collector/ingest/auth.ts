import { parseLicenseKey, secretMatches } from '../licenses/license-key';
import type { LicenseStore, ProjectStore } from '../store/meta-store';

export type RefuseCode = 'license_malformed' | 'license_unknown' | 'license_revoked' | 'project_deleted' | 'protocol';

export type LicenseCheck =
  | { ok: true; pcode: string; licenseId: number; lookup: string }
  | { ok: false; code: RefuseCode; message: string };

const REFUSALS: Record<Exclude<RefuseCode, 'protocol'>, string> = {
  license_malformed:
    'The license key is not a Tapscope key (wrong format or checksum). Copy the key again from the console.',
  license_unknown: 'No such license key. Issue a key in the console and set it as "license" in whatap.conf.',
  license_revoked: 'This license key was revoked in the console. Issue a new key for the project.',
  project_deleted: 'The project of this license key was deleted.',
};

function refuse(code: Exclude<RefuseCode, 'protocol'>): LicenseCheck {
  return { ok: false, code, message: REFUSALS[code] };
}

/**
 * Checks a license key presented in HELLO. A malformed key is refused without touching the
 * database; the secret is compared with the stored hash in constant time. The key itself is
 * never logged or echoed.
 */
export async function checkLicense(meta: LicenseStore & ProjectStore, key: string): Promise<LicenseCheck> {
  const parsed = parseLicenseKey(key);
  if (!parsed) return refuse('license_malformed');
  const license = await meta.getLicenseByLookup(parsed.lookup);
  if (!license) {
    // Deleting a project deletes its keys; tell its agents why rather than "unknown key".
    const project = await meta.getProject(parsed.pcode);
    return refuse(project && project.deletedAt !== null ? 'project_deleted' : 'license_unknown');
  }
  if (license.pcode !== parsed.pcode || !secretMatches(parsed.secret, license.secretHash)) {
    return refuse('license_unknown');
  }
  if (license.revokedAt !== null) return refuse('license_revoked');
  const project = await meta.getProject(license.pcode);
  if (!project || project.deletedAt !== null) return refuse('project_deleted');
  return { ok: true, pcode: license.pcode, licenseId: license.id, lookup: parsed.lookup };
}

/**
 * Re-checks a license a live session was admitted with (its secret was verified at HELLO):
 * revoked, or its project deleted, gives the refusal to close the session with.
 */
export async function recheckLicense(meta: LicenseStore & ProjectStore, lookup: string, pcode: string): Promise<LicenseCheck> {
  const license = await meta.getLicenseByLookup(lookup);
  if (!license || license.pcode !== pcode) {
    const project = await meta.getProject(pcode);
    return refuse(!project || project.deletedAt !== null ? 'project_deleted' : 'license_unknown');
  }
  if (license.revokedAt !== null) return refuse('license_revoked');
  const project = await meta.getProject(pcode);
  if (!project || project.deletedAt !== null) return refuse('project_deleted');
  return { ok: true, pcode, licenseId: license.id, lookup };
}
