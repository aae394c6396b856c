import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USER_DISABLED_MESSAGE } from '../../src/api/auth';
import { apiPaths } from '../../src/api/paths';
import { hashToken, newSessionToken } from '../auth/tokens';
import { ApiClient } from '../testing/api-client';
import { ADMIN, createUserClient, setupAdmin, startTestCollector, type TestCollector } from '../testing/test-collector';

let c: TestCollector;
let admin: ApiClient;
beforeEach(async () => {
  c = await startTestCollector({ passwordLogN: 12 });
  admin = c.client();
  await setupAdmin(admin);
});
afterEach(async () => {
  await c.close();
});

const PASSWORD = 'another long password';
const idOf = async (client: ApiClient) => (await client.get(apiPaths.me)).body.user.id as number;
const signIn = (username: string, password: string) => new ApiClient(c.url).post(apiPaths.session, { username, password });

describe('disabling a user', () => {
  it('ends every session at once; a disabled user cannot sign in until enabled again', async () => {
    const lee = await createUserClient(admin, 'lee');
    const leeId = await idOf(lee);
    const laptop = new ApiClient(c.url);
    expect((await laptop.post(apiPaths.session, { username: 'lee', password: PASSWORD })).status).toBe(200);

    const disabled = await admin.patch(apiPaths.user(leeId), { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user).toMatchObject({ username: 'lee', disabledAt: expect.stringMatching(/^\d{4}-/) });
    expect((await lee.get(apiPaths.me)).status).toBe(401);
    expect((await laptop.get(apiPaths.me)).status).toBe(401);
    expect((await admin.get(apiPaths.me)).status).toBe(200);

    // A wrong password gets the answer any account gets; only the right one learns "disabled".
    const wrong = await signIn('lee', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('Wrong username or password.');
    const right = await signIn('lee', PASSWORD);
    expect(right.status).toBe(403);
    expect(right.body.error).toEqual({ code: 'account_disabled', message: USER_DISABLED_MESSAGE });
    expect(right.headers.getSetCookie()).toEqual([]);

    const users = (await admin.get(apiPaths.users)).body.users as Array<{ username: string; disabledAt: string | null }>;
    expect(users.find((u) => u.username === 'lee')!.disabledAt).toBe(disabled.body.user.disabledAt);
    const audit = (await admin.get(apiPaths.audit)).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'lee', action: 'sign_in_failed', target: 'user:lee', detail: 'account disabled' });
    expect(audit.find((e: { action: string }) => e.action === 'user_disabled')).toMatchObject({
      actor: 'admin',
      target: 'user:lee',
      detail: 'signed out everywhere',
    });

    const enabled = await admin.patch(apiPaths.user(leeId), { disabled: false });
    expect(enabled.body.user.disabledAt).toBeNull();
    expect((await signIn('lee', PASSWORD)).status).toBe(200);
    expect((await admin.get(apiPaths.audit)).body.entries[1]).toMatchObject({ action: 'user_enabled', target: 'user:lee' });
  });

  it('refuses a session of a disabled user even if one slipped in (a sign-in racing the disable)', async () => {
    const lee = await createUserClient(admin, 'lee');
    const leeId = await idOf(lee);
    await admin.patch(apiPaths.user(leeId), { disabled: true });
    const token = newSessionToken();
    await c.meta.createSession({ tokenHash: hashToken(token), userId: leeId, createdAt: Date.now(), expiresAt: Date.now() + 60_000 });
    const res = await fetch(c.url + apiPaths.me, { headers: { cookie: `tapscope_session=${token}` } });
    expect(res.status).toBe(401);
  });

  it('is for administrators only, never of one’s own account', async () => {
    const lee = await createUserClient(admin, 'lee');
    const adminId = await idOf(admin);
    const leeId = await idOf(lee);
    expect((await lee.patch(apiPaths.user(adminId), { disabled: true })).status).toBe(403);
    expect((await lee.delete(apiPaths.user(adminId))).status).toBe(403);
    expect((await admin.get(apiPaths.me)).status).toBe(200);

    const self = await admin.patch(apiPaths.user(adminId), { disabled: true });
    expect(self.status).toBe(409);
    expect(self.body.error.message).toBe('You cannot disable your own account. Another administrator can.');
    const selfDelete = await admin.delete(apiPaths.user(adminId));
    expect(selfDelete.status).toBe(409);
    expect(selfDelete.body.error.message).toBe('You cannot delete your own account. Another administrator can.');

    expect((await admin.patch(apiPaths.user(999), { disabled: true })).status).toBe(404);
    expect((await admin.delete('/api/v1/users/abc')).status).toBe(404);
    expect((await admin.patch(apiPaths.user(leeId), { disabled: 'yes' })).status).toBe(400);
    expect((await lee.get(apiPaths.me)).status).toBe(200);
  });

  it('lets an administrator disable another administrator, never the last enabled one', async () => {
    // The API creates no second admin; the store does, as an operator would.
    const root = await c.meta.createUser('root', await c.meta.getUserByName(ADMIN.username).then((u) => u!.passwordHash), true, Date.now());
    expect((await admin.patch(apiPaths.user(root.id), { disabled: true })).body.user).toMatchObject({ admin: true, disabledAt: expect.any(String) });
    expect((await signIn('root', ADMIN.password)).status).toBe(403);
    // Two admins disabling each other at once: whatever the order, the store keeps one enabled.
    await expect(c.meta.setUserDisabled(await idOf(admin), Date.now())).rejects.toThrow(/last enabled administrator/);
    expect((await admin.get(apiPaths.me)).status).toBe(200);
  });
});

describe('deleting a user', () => {
  it('ends their sessions and memberships; the only owner of a project is refused, naming it', async () => {
    const lee = await createUserClient(admin, 'lee');
    const kim = await createUserClient(admin, 'kim');
    const leeId = await idOf(lee);
    const pcode = (await lee.post(apiPaths.projects, { name: 'Shop', region: 'local' })).body.project.pcode as string;

    const refused = await admin.delete(apiPaths.user(leeId));
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'lee is the only owner of "Shop". Make someone else an owner of it first, or delete the project.',
    );
    expect((await lee.get(apiPaths.me)).status).toBe(200);

    expect((await lee.post(apiPaths.members(pcode), { username: 'kim', role: 'owner' })).status).toBe(201);
    expect((await admin.delete(apiPaths.user(leeId))).status).toBe(204);
    expect((await lee.get(apiPaths.me)).status).toBe(401);
    expect((await signIn('lee', PASSWORD)).body.error.message).toBe('Wrong username or password.');
    const members = (await kim.get(apiPaths.members(pcode))).body.members as Array<{ username: string }>;
    expect(members.map((m) => m.username)).toEqual(['kim']);
    expect((await admin.get(apiPaths.users)).body.users.map((u: { username: string }) => u.username)).toEqual([ADMIN.username, 'kim']);
    expect((await admin.get(apiPaths.audit)).body.entries[1]).toMatchObject({ actor: 'admin', action: 'user_deleted', target: 'user:lee' });
    expect((await admin.delete(apiPaths.user(leeId))).status).toBe(404);
  });
});
