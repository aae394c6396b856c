import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditListSchema } from '../../src/api/audit';
import { meSchema, userListSchema } from '../../src/api/auth';
import { apiPaths } from '../../src/api/paths';
import { createdLicenseSchema } from '../../src/api/licenses';
import { hashSecret, parseLicenseKey } from '../licenses/license-key';
import type { ApiClient } from '../testing/api-client';
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

const LEE_PASSWORD = 'lee has a long password';
const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('users (administrators)', () => {
  it('lists users without password hashes and creates one that can sign in', async () => {
    const before = await admin.get(apiPaths.users);
    expect(before.status).toBe(200);
    expect(userListSchema.parse(before.body).users.map((u) => u.username)).toEqual(['admin']);

    const created = await admin.post(apiPaths.users, { username: 'lee', password: LEE_PASSWORD });
    expect(created.status).toBe(201);
    const { user } = meSchema.parse(created.body);
    expect(user).toMatchObject({ username: 'lee', admin: false });
    expect(user.createdAt).toMatch(ISO_RE);

    const res = await admin.get(apiPaths.users);
    const { users } = userListSchema.parse(res.body);
    // Ordered by name, whatever its case.
    expect(users.map((u) => `${u.username}:${u.admin}`)).toEqual(['admin:true', 'lee:false']);
    expect(users[1]).toEqual(user);
    // Exactly the contract's fields: no hash under any name.
    for (const u of res.body.users) expect(Object.keys(u).sort()).toEqual(['admin', 'createdAt', 'disabledAt', 'id', 'username']);
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/i);

    const lee = c.client();
    expect((await lee.post(apiPaths.session, { username: 'lee', password: LEE_PASSWORD })).status).toBe(200);
    expect((await lee.get(apiPaths.me)).body.user.username).toBe('lee');
  });

  it('refuses a taken username, whatever its case, with 409 on username', async () => {
    await admin.post(apiPaths.users, { username: 'lee', password: LEE_PASSWORD });
    for (const username of ['lee', 'LEE', 'admin']) {
      const dup = await admin.post(apiPaths.users, { username, password: 'another long password' });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'username' });
      expect(dup.body.error.message).toContain('is taken');
    }
    expect((await admin.get(apiPaths.users)).body.users).toHaveLength(2);
  });

  it.each([
    [{ username: 'lee', password: 'short' }, 'password', 'Password must be at least 10 characters'],
    [{ username: 'l', password: LEE_PASSWORD }, 'username', 'Username must be at least 3 characters'],
    [{ username: 'lee lee', password: LEE_PASSWORD }, 'username', 'Username may use letters, digits and . _ @ - only'],
    [{ password: LEE_PASSWORD }, 'username', 'username is required.'],
  ])('refuses %j with 400 on %s and creates nobody', async (body, field, message) => {
    const res = await admin.post(apiPaths.users, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'validation', message, field });
    expect((await admin.get(apiPaths.users)).body.users).toHaveLength(1);
  });

  it('answers 403 forbidden to a user who is not an administrator, and 401 to nobody', async () => {
    const plain = await createUserClient(admin, 'plain');
    for (const res of [
      await plain.get(apiPaths.users),
      await plain.post(apiPaths.users, { username: 'another', password: 'a long password' }),
      await plain.get(apiPaths.audit),
      await plain.get(`${apiPaths.audit}?limit=oops`),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toMatch(/^Only an administrator can /);
    }
    expect((await admin.get(apiPaths.users)).body.users.map((u: { username: string }) => u.username)).toEqual([
      'admin',
      'plain',
    ]);

    const nobody = c.client();
    expect((await nobody.get(apiPaths.users)).status).toBe(401);
    expect((await nobody.get(apiPaths.audit)).status).toBe(401);
  });
});

describe('audit log (administrators)', () => {
  it('lists entries newest first, with no password, key or hash in them', async () => {
    await admin.post(apiPaths.users, { username: 'lee', password: LEE_PASSWORD });
    const wrong = 'not lee’s password at all';
    expect((await c.client().post(apiPaths.session, { username: 'lee', password: wrong })).status).toBe(401);
    const lee = c.client();
    await lee.post(apiPaths.session, { username: 'lee', password: LEE_PASSWORD });
    const pcode = (await admin.post(apiPaths.projects, { name: 'Shop', region: 'local' })).body.project.pcode as string;
    const { key } = createdLicenseSchema.parse((await admin.post(apiPaths.licenses(pcode), { label: 'web' })).body);
    const secret = parseLicenseKey(key)!.secret;
    await admin.post(apiPaths.members(pcode), { username: 'lee', role: 'viewer' });

    const res = await admin.get(apiPaths.audit);
    expect(res.status).toBe(200);
    const { entries } = auditListSchema.parse(res.body);
    expect(entries.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([
      `admin member_added project:${pcode}`,
      `admin license_issued ${entries[1]!.target}`,
      `admin project_created project:${pcode}`,
      'lee sign_in user:lee',
      'lee sign_in_failed user:lee',
      'admin user_created user:lee',
      'admin setup user:admin',
    ]);
    expect(entries[1]!.target).toMatch(new RegExp(`^license:tsl_${pcode}_`));
    for (const e of entries) {
      expect(e.time).toMatch(ISO_RE);
      expect(e.ip).toBe('127.0.0.1');
    }
    expect(entries[0]!.detail).toBe('user lee as viewer');
    expect(entries[4]!.detail).toBe('wrong password');

    const text = JSON.stringify(res.body);
    for (const leak of [ADMIN.password, LEE_PASSWORD, wrong, key, secret, hashSecret(secret), 'scrypt$']) {
      expect(text).not.toContain(leak);
    }
  });

  it('answers at most `limit` entries and refuses a bad limit', async () => {
    await admin.post(apiPaths.users, { username: 'lee', password: LEE_PASSWORD });
    const one = await admin.get(`${apiPaths.audit}?limit=1`);
    expect(one.body.entries.map((e: { action: string }) => e.action)).toEqual(['user_created']);
    expect((await admin.get(apiPaths.audit)).body.entries).toHaveLength(2);

    for (const limit of ['0', '-1', 'oops', '1.5', '1001']) {
      const bad = await admin.get(`${apiPaths.audit}?limit=${limit}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'validation', field: 'limit' });
    }
  });
});
