import type { Agent } from '../../src/api/agents';

/**
 * The seeded agents of the mock project. Shared by the agents, hitmap and transactions
 * handlers so ids agree everywhere. Times are relative to `now` so the seed always looks live.
 */
export const MOCK_PCODE = 'demoshop';

export function seedAgents(now: number = Date.now()): Agent[] {
  const iso = (t: number) => new Date(t).toISOString();
  const base = {
    appName: 'shop',
    agentVersion: '0.1.0',
    pythonVersion: '3.11.2',
    firstSeen: iso(now - 6 * 86_400_000),
    dropped: { hour: 0, day: 0 },
  };
  return [
    { ...base, id: 1, objectName: 'shop-0-11-gunicorn', processName: 'gunicorn', hostname: 'web-1', ip: '10.0.0.11', pid: 4101, appPids: [4110, 4111, 4112, 4113], lastSeen: iso(now - 2_000), status: 'active', statusSince: iso(now - 3 * 3_600_000), tps: 41.2, respTime: 84 },
    { ...base, id: 2, objectName: 'shop-0-12-gunicorn', processName: 'gunicorn', hostname: 'web-2', ip: '10.0.0.12', pid: 4102, appPids: [4120, 4121, 4122, 4123], lastSeen: iso(now - 3_000), status: 'active', statusSince: iso(now - 3 * 3_600_000), tps: 38.7, respTime: 91 },
    { ...base, id: 3, objectName: 'shop-0-13-uwsgi', processName: 'uwsgi', hostname: 'web-3', ip: '10.0.0.13', pid: 5120, appPids: [5131, 5132], lastSeen: iso(now - 1_000), status: 'active', statusSince: iso(now - 50 * 60_000), tps: 22.5, respTime: 140 },
    { ...base, id: 4, objectName: 'shop-0-14-uwsgi', processName: 'uwsgi', hostname: 'web-4', ip: '10.0.0.14', pid: 5121, appPids: [5141, 5142], lastSeen: iso(now - 25 * 60_000), status: 'inactive', statusSince: iso(now - 25 * 60_000), tps: null, respTime: null },
  ];
}
