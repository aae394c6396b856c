import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createdLicenseSchema, licenseListSchema } from '../../src/api/licenses';
import { apiPaths } from '../../src/api/paths';
import { parseLicenseKey, secretMatches } from '../licenses/license-key';
import type { ApiClient } from '../testing/api-client';
import { ADMIN, createUserClient, setupAdmin, startTestCollector, type TestCollector } from '../testing/test-collector';

let c: TestCollector;
let owner: ApiClient;
let pcode: string;
beforeEach(async () => {
  c = await startTestCollector();
  owner = c.client();
  await setupAdmin(owner);
  pcode = (await owner.post(apiPaths.projects, { name: 'Shop', region: 'local' })).body.project.pcode;
});
afterEach(async () => {
  await c.close();
});

describe('license keys', () => {
  it('issues a key once, lists only its prefix, and revokes it', async () => {
    const res = await owner.post(apiPaths.licenses(pcode), { label: 'web servers' });
    expect(res.status).toBe(201);
    const { license, key } = createdLicenseSchema.parse(res.body);
    const parsed = parseLicenseKey(key);
    expect(parsed).not.toBeNull();
    expect(parsed!.pcode).toBe(pcode);
    expect(license).toMatchObject({ label: 'web servers', createdBy: 'admin', lastUsedAt: null, revokedAt: null });
    expect(license.prefix).toBe(`tsl_${pcode}_${parsed!.lookup}`);
    expect(key.startsWith(license.prefix)).toBe(true);

    // The store can verify the key without holding it.
    const row = await c.meta.getLicenseByLookup(parsed!.lookup);
    expect(row!.secretHash).not.toContain(parsed!.secret);
    expect(secretMatches(parsed!.secret, row!.secretHash)).toBe(true);

    const listRes = await owner.get(apiPaths.licenses(pcode));
    const list = licenseListSchema.parse(listRes.body);
    expect(list.licenses).toEqual([license]);
    expect(JSON.stringify(listRes.body)).not.toContain(key);
    expect(JSON.stringify(listRes.body)).not.toContain(parsed!.secret);

    const revoked = await owner.delete(apiPaths.license(pcode, license.id));
    expect(revoked.status).toBe(200);
    expect(revoked.body.license.revokedAt).not.toBeNull();
    const after = licenseListSchema.parse((await owner.get(apiPaths.licenses(pcode))).body);
    expect(after.licenses).toHaveLength(1);
    expect(after.licenses[0]!.revokedAt).toBe(revoked.body.license.revokedAt);
    expect((await c.meta.getLicenseByLookup(parsed!.lookup))!.revokedAt).not.toBeNull();
  });

  it('issues several keys, newest first, with an optional label', async () => {
    const a = (await owner.post(apiPaths.licenses(pcode))).body;
    const b = (await owner.post(apiPaths.licenses(pcode), { label: 'second' })).body;
    expect(a.license.label).toBe('');
    expect(a.key).not.toBe(b.key);
    const list = (await owner.get(apiPaths.licenses(pcode))).body.licenses;
    expect(list.map((l: { id: number }) => l.id)).toEqual([b.license.id, a.license.id]);
    const long = await owner.post(apiPaths.licenses(pcode), { label: 'x'.repeat(81) });
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe('label');
  });

  it('answers 404 for an unknown key id and for another project’s key', async () => {
    const other = (await owner.post(apiPaths.projects, { name: 'Other', region: 'local' })).body.project.pcode;
    const { license } = (await owner.post(apiPaths.licenses(other))).body;
    expect((await owner.delete(apiPaths.license(pcode, license.id))).status).toBe(404);
    expect((await owner.delete(apiPaths.license(pcode, 99999))).status).toBe(404);
    expect((await owner.request('DELETE', `${apiPaths.licenses(pcode)}/abc`)).status).toBe(404);
    expect((await owner.get(apiPaths.licenses(other))).body.licenses[0].revokedAt).toBeNull();
  });

  it('hides keys from non-members (404) and lets viewers read but not issue or revoke (403)', async () => {
    const { license } = (await owner.post(apiPaths.licenses(pcode))).body;
    const stranger = await createUserClient(owner, 'stranger');
    expect((await stranger.get(apiPaths.licenses(pcode))).status).toBe(404);
    expect((await stranger.post(apiPaths.licenses(pcode))).status).toBe(404);
    expect((await stranger.delete(apiPaths.license(pcode, license.id))).status).toBe(404);

    const viewer = await createUserClient(owner, 'viewer');
    await owner.post(apiPaths.members(pcode), { username: 'viewer', role: 'viewer' });
    expect((await viewer.get(apiPaths.licenses(pcode))).status).toBe(200);
    const issue = await viewer.post(apiPaths.licenses(pcode), { label: 'mine' });
    expect(issue.status).toBe(403);
    expect(issue.body.error.code).toBe('forbidden');
    expect((await viewer.delete(apiPaths.license(pcode, license.id))).status).toBe(403);

    const member = await createUserClient(owner, 'member');
    await owner.post(apiPaths.members(pcode), { username: 'member', role: 'member' });
    expect((await member.post(apiPaths.licenses(pcode))).status).toBe(201);
    expect((await owner.get(apiPaths.licenses(pcode))).body.licenses).toHaveLength(2);
  });

  it('removes the keys with their project', async () => {
    const { key } = (await owner.post(apiPaths.licenses(pcode))).body;
    await owner.delete(apiPaths.project(pcode));
    expect(await c.meta.getLicenseByLookup(parseLicenseKey(key)!.lookup)).toBeNull();
    expect((await owner.get(apiPaths.licenses(pcode))).status).toBe(404);
  });

  it('audits issue and revoke with actor and IP, never the key or a password', async () => {
    const { license, key } = (await owner.post(apiPaths.licenses(pcode), { label: 'ci' })).body;
    await owner.delete(apiPaths.license(pcode, license.id));
    await owner.post(apiPaths.session, { username: 'admin', password: 'wrong password!' });
    await owner.delete(apiPaths.session);
    const audit = await c.meta.listAudit(100);
    const issued = audit.find((e) => e.action === 'license_issued')!;
    expect(issued).toMatchObject({ actor: 'admin', target: `license:${license.prefix}`, ip: '127.0.0.1' });
    expect(audit.find((e) => e.action === 'license_revoked')).toMatchObject({ actor: 'admin', target: `license:${license.prefix}` });
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['setup', 'project_created', 'sign_in_failed', 'sign_out']),
    );
    const text = JSON.stringify(audit);
    expect(text).not.toContain(key);
    expect(text).not.toContain(parseLicenseKey(key)!.secret);
    expect(text).not.toContain(ADMIN.password);
    expect(text).not.toContain('wrong password!');
  });

  it('writes neither the key nor the password into the SQLite files', async () => {
    const { key } = (await owner.post(apiPaths.licenses(pcode))).body;
    const secret = parseLicenseKey(key)!.secret;
    await c.close();
    // WAL and shared-memory files too: a checkpoint may not have happened yet.
    const files = readdirSync(c.dataDir).filter((f) => f.startsWith('meta.sqlite'));
    expect(files).toContain('meta.sqlite');
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(c.dataDir, f))));
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(bytes.includes(Buffer.from(ADMIN.password))).toBe(false);
    // The lookup (the public prefix) is there, so the search itself works.
    expect(bytes.includes(Buffer.from(parseLicenseKey(key)!.lookup))).toBe(true);
    c = await startTestCollector({ dataDir: c.dataDir }); // for afterEach to close
  });
});
