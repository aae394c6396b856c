import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { projectListSchema, projectResponseSchema } from '../../src/api/projects';
import type { ApiClient } from '../testing/api-client';
import { makeTransaction } from '../testing/telemetry-records';
import { createUserClient, setupAdmin, startTestCollector, type TestCollector } from '../testing/test-collector';

let c: TestCollector;
let owner: ApiClient;
beforeEach(async () => {
  c = await startTestCollector({ passwordLogN: 12 });
  owner = c.client();
  await setupAdmin(owner);
});
afterEach(async () => {
  await c.close();
});

const create = (client: ApiClient, body: Record<string, unknown>) => client.post(apiPaths.projects, body);

describe('projects', () => {
  it('creates, lists, reads, renames and deletes a project', async () => {
    expect((await owner.get(apiPaths.projects)).body).toEqual({ projects: [] });
    const created = await create(owner, { name: '  Shop  ', region: 'local', group: 'web', timezone: 'Asia/Seoul' });
    expect(created.status).toBe(201);
    const { project } = projectResponseSchema.parse(created.body);
    expect(project).toMatchObject({ name: 'Shop', region: 'local', group: 'web', timezone: 'Asia/Seoul', role: 'owner' });
    expect(project.pcode).toMatch(/^[a-z2-7]{8}$/);

    const list = projectListSchema.parse((await owner.get(apiPaths.projects)).body);
    expect(list.projects.map((p) => p.name)).toEqual(['Shop']);
    expect((await owner.get(apiPaths.project(project.pcode))).body.project).toEqual(project);

    const renamed = await owner.patch(apiPaths.project(project.pcode), { name: 'Shop (prod)', timezone: 'UTC' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.project).toMatchObject({ name: 'Shop (prod)', timezone: 'UTC', group: 'web' });

    const end = Date.now();
    await c.telemetry.writeTransactions([makeTransaction({ txid: 'a1', pcode: project.pcode, end })]);
    const stored = () => c.telemetry.listTransactions(project.pcode, { from: end - 60_000, to: end + 60_000, limit: 10, sort: 'end' });
    expect((await stored()).total).toBe(1);
    const deleted = await owner.delete(apiPaths.project(project.pcode));
    expect(deleted.status).toBe(204);
    // The project's telemetry goes with it.
    expect((await stored()).total).toBe(0);
    expect((await owner.get(apiPaths.project(project.pcode))).status).toBe(404);
    expect((await owner.get(apiPaths.projects)).body.projects).toEqual([]);
    // The name is free again.
    expect((await create(owner, { name: 'Shop (prod)', region: 'local' })).status).toBe(201);

    const actions = (await c.meta.listAudit(20)).map((e) => `${e.action} ${e.target}`);
    expect(actions).toContain(`project_created project:${project.pcode}`);
    expect(actions).toContain(`project_updated project:${project.pcode}`);
    expect(actions).toContain(`project_deleted project:${project.pcode}`);
  });

  it('defaults group and time zone', async () => {
    const res = await create(owner, { name: 'Defaults', region: 'local' });
    expect(res.body.project).toMatchObject({ group: '', timezone: 'UTC' });
  });

  it.each([
    [{ name: '', region: 'local' }, 'name', 'Enter a project name'],
    [{ name: '   ', region: 'local' }, 'name', 'Enter a project name'],
    [{ name: 'x'.repeat(81), region: 'local' }, 'name', 'Project name must be at most 80 characters'],
    [{ name: 'Shop', region: 'mars' }, 'region', 'Unknown data region "mars". Choose one of: local.'],
    [{ name: 'Shop', region: '' }, 'region', 'Choose a data region'],
    [{ name: 'Shop', region: 'local', timezone: 'Mars/Olympus' }, 'timezone', 'Unknown time zone'],
    [{ region: 'local' }, 'name', 'name is required.'],
  ])('refuses %j with 400 on %s and writes nothing', async (body, field, message) => {
    const res = await create(owner, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'validation', message, field });
    expect((await owner.get(apiPaths.projects)).body.projects).toEqual([]);
    expect(await c.meta.listAudit(10)).not.toContainEqual(expect.objectContaining({ action: 'project_created' }));
  });

  it('refuses a duplicate name, whatever its case, with 409 on name', async () => {
    await create(owner, { name: 'Shop', region: 'local' });
    const dup = await create(owner, { name: 'SHOP', region: 'local' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'name' });
    expect(dup.body.error.message).toContain('already exists');
    expect((await owner.get(apiPaths.projects)).body.projects).toHaveLength(1);

    const other = (await create(owner, { name: 'Blog', region: 'local' })).body.project;
    const rename = await owner.patch(apiPaths.project(other.pcode), { name: 'shop' });
    expect(rename.status).toBe(409);
    expect(rename.body.error.field).toBe('name');
    // Changing only the case of its own name is fine.
    expect((await owner.patch(apiPaths.project(other.pcode), { name: 'BLOG' })).status).toBe(200);
    expect((await owner.patch(apiPaths.project(other.pcode), { timezone: 'Nowhere/Else' })).body.error.field).toBe(
      'timezone',
    );
  });

  it('answers 404 to a non-member, the same as for a project that does not exist', async () => {
    const { project } = (await create(owner, { name: 'Secret', region: 'local' })).body;
    const stranger = await createUserClient(owner, 'stranger');
    const theirs = await stranger.get(apiPaths.project(project.pcode));
    const none = await stranger.get(apiPaths.project('zzzzzzzz'));
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(none.body);
    expect(theirs.body.error.code).toBe('not_found');
    expect((await stranger.patch(apiPaths.project(project.pcode), { name: 'Mine' })).status).toBe(404);
    expect((await stranger.delete(apiPaths.project(project.pcode))).status).toBe(404);
    expect((await stranger.get(apiPaths.projects)).body.projects).toEqual([]);
    expect((await c.client().get(apiPaths.project(project.pcode))).status).toBe(401);
  });

  it('lets the owner add members; only owners change or delete the project', async () => {
    const { project } = (await create(owner, { name: 'Team', region: 'local' })).body;
    const member = await createUserClient(owner, 'mia');
    const viewer = await createUserClient(owner, 'vic');

    expect((await owner.post(apiPaths.members(project.pcode), { username: 'mia', role: 'member' })).status).toBe(201);
    const added = await owner.post(apiPaths.members(project.pcode), { username: 'vic', role: 'viewer' });
    expect(added.body).toEqual({ member: { userId: expect.any(Number), username: 'vic', role: 'viewer' } });
    const unknown = await owner.post(apiPaths.members(project.pcode), { username: 'ghost', role: 'viewer' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('username');

    const members = (await viewer.get(apiPaths.members(project.pcode))).body.members;
    expect(members.map((m: { username: string; role: string }) => `${m.username}:${m.role}`)).toEqual([
      'admin:owner',
      'mia:member',
      'vic:viewer',
    ]);
    expect((await member.get(apiPaths.projects)).body.projects[0]).toMatchObject({ name: 'Team', role: 'member' });

    expect((await member.patch(apiPaths.project(project.pcode), { name: 'Mia' })).status).toBe(403);
    expect((await member.delete(apiPaths.project(project.pcode))).status).toBe(403);
    expect((await member.post(apiPaths.members(project.pcode), { username: 'vic', role: 'owner' })).status).toBe(403);
    const viewerPatch = await viewer.patch(apiPaths.project(project.pcode), { group: 'x' });
    expect(viewerPatch.status).toBe(403);
    expect(viewerPatch.body.error.code).toBe('forbidden');
    expect((await owner.get(apiPaths.project(project.pcode))).body.project.name).toBe('Team');

    // The last owner cannot demote themselves.
    const demote = await owner.post(apiPaths.members(project.pcode), { username: 'admin', role: 'member' });
    expect(demote.status).toBe(409);
    const audit = await c.meta.listAudit(50);
    expect(audit.filter((e) => e.action === 'member_added').map((e) => e.detail)).toEqual([
      'user vic as viewer',
      'user mia as member',
    ]);
  });

  it('only lets administrators create users', async () => {
    const user = await createUserClient(owner, 'plain');
    const res = await user.post(apiPaths.users, { username: 'another', password: 'a long password' });
    expect(res.status).toBe(403);
    const dup = await owner.post(apiPaths.users, { username: 'PLAIN', password: 'a long password' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('username');
  });

  it('lists the configured regions to signed-in users', async () => {
    expect((await owner.get(apiPaths.regions)).body).toEqual({
      regions: [{ id: 'local', name: 'Local (this collector)', ingest: ['127.0.0.1:6600'] }],
    });
    expect((await c.client().get(apiPaths.regions)).status).toBe(401);
  });
});
