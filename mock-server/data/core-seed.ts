import type { Region } from '../../src/api/regions';
import type { ProjectRole } from '../../src/api/projects';
import { MOCK_PCODE } from './agents';

export interface MockUser {
  id: number;
  username: string;
  /** Mock only: kept in clear so the demo credentials can be shown. */
  password: string;
  admin: boolean;
  createdAt: string;
  /** ISO time an administrator disabled the account, or null. */
  disabledAt: string | null;
}

export interface MockProject {
  pcode: string;
  name: string;
  region: string;
  group: string;
  timezone: string;
  createdAt: string;
}

export interface MockMember {
  pcode: string;
  userId: number;
  role: ProjectRole;
}

export interface MockLicense {
  id: number;
  pcode: string;
  prefix: string;
  label: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface MockState {
  users: MockUser[];
  projects: MockProject[];
  members: MockMember[];
  licenses: MockLicense[];
  regions: Region[];
  /** The signed-in user of this browser tab (or test); null when signed out. */
  sessionUserId: number | null;
  /** Failed sign-in times per username, for the rate limit. */
  signInFailures: Record<string, number[]>;
  nextId: number;
}

/**
 * - `default`: what `npm run dev` shows: the admin (admin / tapscope-demo) exists and is
 *   signed out; "Demo shop" (pcode MOCK_PCODE, the project every feature seeds data
 *   for) has two keys; a second, empty project shows the empty states.
 * - `fresh`: a new installation: no user, so the setup screen comes first.
 */
export type MockScenario = 'default' | 'fresh';

export const MOCK_ADMIN = { username: 'admin', password: 'tapscope-demo' } as const;

export const MOCK_REGIONS: Region[] = [
  { id: 'local', name: 'Local', ingest: ['127.0.0.1:6600'] },
  { id: 'ap-northeast', name: 'Asia Pacific (Seoul)', ingest: ['ingest.ap-northeast.example:6600'] },
];

export function seedCore(scenario: MockScenario = 'default', now: number = Date.now()): MockState {
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
  const day = 86_400_000;
  const state: MockState = {
    users: [],
    projects: [],
    members: [],
    licenses: [],
    regions: structuredClone(MOCK_REGIONS),
    sessionUserId: null,
    signInFailures: {},
    nextId: 100,
  };
  if (scenario === 'fresh') return state;

  state.users.push(
    { id: 1, username: MOCK_ADMIN.username, password: MOCK_ADMIN.password, admin: true, createdAt: iso(40 * day), disabledAt: null },
    { id: 2, username: 'dana', password: 'tapscope-demo', admin: false, createdAt: iso(35 * day), disabledAt: null },
    { id: 3, username: 'lee', password: 'tapscope-demo', admin: false, createdAt: iso(12 * day), disabledAt: null },
  );
  state.projects.push(
    { pcode: MOCK_PCODE, name: 'Demo shop', region: 'local', group: 'Commerce', timezone: 'Asia/Seoul', createdAt: iso(30 * day) },
    { pcode: 'billapi2', name: 'Billing API', region: 'ap-northeast', group: 'Payments', timezone: 'UTC', createdAt: iso(3 * day) },
  );
  state.members.push(
    { pcode: MOCK_PCODE, userId: 1, role: 'owner' },
    { pcode: MOCK_PCODE, userId: 2, role: 'member' },
    { pcode: 'billapi2', userId: 1, role: 'owner' },
  );
  state.licenses.push(
    {
      id: 1,
      pcode: MOCK_PCODE,
      prefix: `tsl_${MOCK_PCODE}_7GQ2K3XM`,
      label: 'production web servers',
      createdAt: iso(29 * day),
      createdBy: 'admin',
      lastUsedAt: iso(90_000),
      revokedAt: null,
    },
    {
      id: 2,
      pcode: MOCK_PCODE,
      prefix: `tsl_${MOCK_PCODE}_P4WN6DJA`,
      label: 'staging',
      createdAt: iso(6 * day),
      createdBy: 'dana',
      lastUsedAt: null,
      revokedAt: null,
    },
  );
  return state;
}
