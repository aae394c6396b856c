import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { ApiClient } from '../testing/api-client';
import { createUserClient, setupAdmin, startTestCollector, type TestCollector } from '../testing/test-collector';

let c: TestCollector;
let owner: ApiClient;
let pcode: string;
beforeEach(async () => {
  c = await startTestCollector({ passwordLogN: 12 });
  owner = c.client();
  await setupAdmin(owner);
  pcode = (await owner.post(apiPaths.projects, { name: 'Shop', region: 'local' })).body.project.pcode;
});
afterEach(async () => {
  await c.close();
});

async function memberClient(username: string, role: 'owner' | 'member' | 'viewer') {
  const client = await createUserClient(owner, username);
  expect((await owner.post(apiPaths.members(pcode), { username, role })).status).toBe(201);
  const me = await client.get(apiPaths.me);
  return { client, id: me.body.user.id as number };
}

describe('taking access back', () => {
  it('a removed member loses the project at once; the audit log says who removed whom', async () => {
    const lee = await memberClient('lee', 'member');
    expect((await lee.client.get(apiPaths.project(pcode))).status).toBe(200);
    expect((await owner.delete(apiPaths.member(pcode, lee.id))).status).toBe(204);
    expect((await lee.client.get(apiPaths.project(pcode))).status).toBe(404);
    expect((await lee.client.get(apiPaths.licenses(pcode))).status).toBe(404);
    const audit = (await owner.get(apiPaths.audit)).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'admin', action: 'member_removed', detail: 'user lee (was member)' });
  });

  it('a member demoted to viewer can no longer change anything; only owners change roles', async () => {
    const lee = await memberClient('lee', 'member');
    expect((await lee.client.post(apiPaths.licenses(pcode), { label: 'ok' })).status).toBe(201);
    const changed = await owner.patch(apiPaths.member(pcode, lee.id), { role: 'viewer' });
    expect(changed.status).toBe(200);
    expect(changed.body.member).toMatchObject({ username: 'lee', role: 'viewer' });
    expect((await lee.client.post(apiPaths.licenses(pcode), { label: 'no' })).status).toBe(403);
    expect((await lee.client.patch(apiPaths.member(pcode, lee.id), { role: 'owner' })).status).toBe(403);
    expect((await owner.get(apiPaths.audit)).body.entries[0]).toMatchObject({ action: 'member_role_changed' });
  });

  it('the last owner can be neither removed nor demoted', async () => {
    const me = (await owner.get(apiPaths.me)).body.user.id as number;
    const removed = await owner.delete(apiPaths.member(pcode, me));
    expect(removed.status).toBe(409);
    expect(removed.body.error.message).toBe('A project needs at least one owner. Make someone else an owner first.');
    expect((await owner.patch(apiPaths.member(pcode, me), { role: 'member' })).status).toBe(409);
    // With a second owner, the first may step down.
    const kim = await memberClient('kim', 'owner');
    expect((await owner.patch(apiPaths.member(pcode, me), { role: 'member' })).status).toBe(200);
    expect((await kim.client.delete(apiPaths.member(pcode, 999))).status).toBe(404);
  });

  it('"sign out everywhere" ends every session of the user, on every browser', async () => {
    const lee = await createUserClient(owner, 'lee');
    const laptop = new ApiClient(c.url);
    expect((await laptop.post(apiPaths.session, { username: 'lee', password: 'another long password' })).status).toBe(200);
    expect((await lee.delete(apiPaths.sessions)).status).toBe(204);
    expect((await lee.get(apiPaths.me)).status).toBe(401);
    expect((await laptop.get(apiPaths.me)).status).toBe(401);
    // Someone else's session is untouched.
    expect((await owner.get(apiPaths.me)).status).toBe(200);
    expect((await owner.get(apiPaths.audit)).body.entries[0]).toMatchObject({ action: 'signed_out_everywhere', detail: '2 sessions ended' });
  });
});
