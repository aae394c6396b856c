import type { User } from '../../src/api/auth';
import type { License } from '../../src/api/licenses';
import type { Project, ProjectRole } from '../../src/api/projects';
import { licensePrefix } from '../licenses/license-key';
import type { LicenseRow, ProjectRow } from '../store/meta-store';
import type { SessionUser } from './request-context';

/** Store rows (epoch ms) to the API's shapes (ISO strings); never a hash. */
const iso = (ms: number) => new Date(ms).toISOString();

export const toApiUser = (u: SessionUser): User => ({
  id: u.id,
  username: u.username,
  admin: u.admin,
  createdAt: iso(u.createdAt),
  disabledAt: u.disabledAt === null ? null : iso(u.disabledAt),
});

export const toApiProject = (p: ProjectRow, role: ProjectRole): Project => ({
  pcode: p.pcode,
  name: p.name,
  region: p.region,
  group: p.group,
  timezone: p.timezone,
  createdAt: iso(p.createdAt),
  role,
});

export const toApiLicense = (l: LicenseRow): License => ({
  id: l.id,
  prefix: licensePrefix(l.pcode, l.lookup),
  label: l.label,
  createdAt: iso(l.createdAt),
  createdBy: l.createdBy,
  lastUsedAt: l.lastUsedAt === null ? null : iso(l.lastUsedAt),
  revokedAt: l.revokedAt === null ? null : iso(l.revokedAt),
});
