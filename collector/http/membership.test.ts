import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import type { ApiClient } from '../testing/api-client';
import { createUserClient, setupAdmin, startTestCollector, type TestCollector } from '../testing/test-collector';

// Stand-ins for the telemetry routes: the guard must cover whatever that module registers.
vi.mock('./telemetry-routes', () => ({
  registerTelemetryRoutes: async (app: FastifyInstance) => {
    app.get('/api/v1/projects/:pcode/probe', async (request) => ({ access: request.tapscope }));
    app.post('/api/v1/projects/:pcode/probe', async () => ({ changed: true }));
  },
}));

let c: TestCollector;
let owner: ApiClient;
let pcode: string;
const probe = () => `${apiPaths.project(pcode)}/probe`;
beforeEach(async () => {
  c = await startTestCollector({ passwordLogN: 12 });
  owner = c.client();
  await setupAdmin(owner);
  pcode = (await owner.post(apiPaths.projects, { name: 'Shop', region: 'local' })).body.project.pcode;
});
afterEach(async () => {
  await c.close();
});

describe('the membership guard on every :pcode route', () => {
  it('answers 401 when signed out', async () => {
    const res = await c.client().get(probe());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('answers 404 to a non-member and for unknown or deleted projects', async () => {
    const stranger = await createUserClient(owner, 'stranger');
    expect((await stranger.get(probe())).status).toBe(404);
    expect((await stranger.get(probe())).body.error.code).toBe('not_found');
    expect((await owner.get(`${apiPaths.project('zzzzzzzz')}/probe`)).status).toBe(404);
    await owner.delete(apiPaths.project(pcode));
    expect((await owner.get(probe())).status).toBe(404);
  });

  it('gives the handler the user (without password hash), project and role', async () => {
    const res = await owner.get(probe());
    expect(res.status).toBe(200);
    expect(res.body.access.role).toBe('owner');
    expect(res.body.access.project).toMatchObject({ pcode, name: 'Shop', deletedAt: null });
    expect(res.body.access.user).toEqual({ id: expect.any(Number), username: 'admin', admin: true, createdAt: expect.any(Number), disabledAt: null });
  });

  it('lets viewers read but not change anything', async () => {
    const viewer = await createUserClient(owner, 'viewer');
    await owner.post(apiPaths.members(pcode), { username: 'viewer', role: 'viewer' });
    expect((await viewer.get(probe())).body.access.role).toBe('viewer');
    const post = await viewer.post(probe(), {});
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe('forbidden');
    const member = await createUserClient(owner, 'member');
    await owner.post(apiPaths.members(pcode), { username: 'member', role: 'member' });
    expect((await member.post(probe(), {})).body).toEqual({ changed: true });
  });

  it('checks CSRF before anything else on :pcode routes too', async () => {
    const res = await owner.post(probe(), {}, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf');
  });
});
