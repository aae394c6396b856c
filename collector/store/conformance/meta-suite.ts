import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetaConflictError } from '../meta-errors';
import type { MetaStore } from '../meta-store';
import { hello, type MetaEngine, type StoreLocation } from './fixtures';

/** The meta store contract, run against every engine (sqlite.test.ts, postgres.test.ts). */
export function describeMetaConformance(engine: MetaEngine): void {
  describe(`meta store conformance: ${engine.name}`, () => {
    let location: StoreLocation<MetaStore>;
    let store: MetaStore;
    const opened: MetaStore[] = [];
    let now = 1_700_000_000_000;
    const open = async () => {
      const s = await location.open();
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      location = await engine.create(() => now);
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    async function project(pcode = 'abcdefgh', name = 'Shop', owner?: number) {
      const ownerId = owner ?? (await store.createUser(`owner-${pcode}`, 'hash', false, now)).id;
      return store.createProject({ pcode, name, region: 'local', group: '', timezone: 'UTC', createdAt: now }, ownerId);
    }

    it('creates the first admin only once, even when asked concurrently, and finds users case-insensitively', async () => {
      expect(await store.countUsers()).toBe(0);
      const attempts = await Promise.all(['Admin', 'root', 'boss', 'chief'].map((u) => store.createFirstAdmin(u, 'h1', now)));
      const admins = attempts.filter((a) => a !== null);
      expect(admins).toHaveLength(1);
      const admin = admins[0]!;
      expect(admin).toMatchObject({ admin: true, passwordHash: 'h1', createdAt: now });
      expect(await store.createFirstAdmin('other', 'h2', now)).toBeNull();
      expect(await store.countUsers()).toBe(1);
      expect((await store.getUserByName(admin.username.toUpperCase()))!.id).toBe(admin.id);
      expect((await store.getUser(admin.id))!.username).toBe(admin.username);
      expect(await store.getUser(999_999)).toBeNull();
      await expect(store.createUser(admin.username.toLowerCase(), 'h3', false, now)).rejects.toMatchObject({
        field: 'username',
      });
      const bob = await store.createUser('bob', 'h4', false, now);
      const zed = await store.createUser('Zed', 'h5', false, now);
      expect(bob.admin).toBe(false);
      const names = (await store.listUsers()).map((u) => u.username);
      expect(names).toEqual([admin.username, 'bob', 'Zed'].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(zed.id).not.toBe(bob.id);
    });

    it('stores sessions by token hash and deletes expired ones', async () => {
      const user = await store.createUser('u', 'h', false, now);
      await store.createSession({ tokenHash: 'a'.repeat(64), userId: user.id, createdAt: now, expiresAt: now + 10 });
      await store.createSession({ tokenHash: 'b'.repeat(64), userId: user.id, createdAt: now, expiresAt: now + 1000 });
      expect(await store.getSession('a'.repeat(64))).toEqual({ tokenHash: 'a'.repeat(64), userId: user.id, createdAt: now, expiresAt: now + 10 });
      expect(await store.deleteExpiredSessions(now + 10)).toBe(1);
      expect(await store.getSession('a'.repeat(64))).toBeNull();
      await store.deleteSession('b'.repeat(64));
      expect(await store.getSession('b'.repeat(64))).toBeNull();
    });

    it('creates projects with their owner, keeps names unique among live projects, and tombstones deletions', async () => {
      const owner = await store.createUser('owner', 'h', false, now);
      const p = await project('abcdefgh', 'Shop', owner.id);
      expect(p).toEqual({ pcode: 'abcdefgh', name: 'Shop', region: 'local', group: '', timezone: 'UTC', createdAt: now, deletedAt: null });
      expect(await store.getRole('abcdefgh', owner.id)).toBe('owner');
      expect((await store.listProjects(owner.id)).map((x) => [x.pcode, x.role])).toEqual([['abcdefgh', 'owner']]);
      expect((await store.findProjectByName('SHOP'))!.pcode).toBe('abcdefgh');

      const dup = await project('bcdefghi', 'shop', owner.id).catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(MetaConflictError);
      expect((dup as MetaConflictError).field).toBe('name');
      expect(await store.getProject('bcdefghi')).toBeNull(); // nothing half-written
      await expect(project('abcdefgh', 'Another', owner.id)).rejects.toMatchObject({ field: 'pcode' });

      expect(await store.updateProject('abcdefgh', { name: 'Shop 2', group: 'web' })).toMatchObject({
        name: 'Shop 2',
        group: 'web',
        timezone: 'UTC',
      });
      await project('cdefghij', 'blog', owner.id);
      await expect(store.updateProject('cdefghij', { name: 'SHOP 2' })).rejects.toMatchObject({ field: 'name' });
      expect((await store.listProjects(owner.id)).map((x) => x.name)).toEqual(['blog', 'Shop 2']);

      const lic = await store.createLicense({ pcode: 'abcdefgh', lookup: 'AAAAAAAA', secretHash: 'x', label: '', createdAt: now, createdBy: 'owner' });
      await store.upsertAgent('abcdefgh', hello('shop-1'), now);
      now += 5;
      await store.deleteProject('abcdefgh');
      expect(await store.getProject('abcdefgh')).toMatchObject({ pcode: 'abcdefgh', deletedAt: now });
      expect(await store.getRole('abcdefgh', owner.id)).toBeNull();
      expect(await store.listMembers('abcdefgh')).toEqual([]);
      expect(await store.getLicenseByLookup(lic.lookup)).toBeNull();
      expect(await store.listAgents('abcdefgh')).toEqual([]);
      expect((await store.listProjects(owner.id)).map((x) => x.pcode)).toEqual(['cdefghij']);
      expect(await store.findProjectByName('Shop 2')).toBeNull();
      expect(await store.updateProject('abcdefgh', { name: 'Back' })).toBeNull();
      expect((await project('defghijk', 'Shop 2', owner.id)).name).toBe('Shop 2');
      // A tombstone keeps its code: it is never handed out again.
      await expect(project('abcdefgh', 'Reuse', owner.id)).rejects.toMatchObject({ field: 'pcode' });
    });

    it('sets member roles, updating an existing member', async () => {
      const owner = await store.createUser('owner', 'h', false, now);
      const mia = await store.createUser('mia', 'h', false, now);
      await project('abcdefgh', 'Shop', owner.id);
      await store.setMember('abcdefgh', mia.id, 'viewer');
      await store.setMember('abcdefgh', mia.id, 'member');
      expect(await store.listMembers('abcdefgh')).toEqual([
        { userId: mia.id, username: 'mia', role: 'member' },
        { userId: owner.id, username: 'owner', role: 'owner' },
      ]);
      expect(await store.getRole('abcdefgh', mia.id)).toBe('member');
    });

    it('disables and enables users; disabling ends their sessions and always leaves an enabled administrator', async () => {
      const admin = (await store.createFirstAdmin('admin', 'h', now))!;
      const bob = await store.createUser('bob', 'h', false, now);
      const session = (userId: number, c: string) =>
        store.createSession({ tokenHash: c.repeat(64), userId, createdAt: now, expiresAt: now + 1000 });
      await session(bob.id, 'a');
      await session(bob.id, 'b');
      await session(admin.id, 'c');

      expect(await store.setUserDisabled(bob.id, now + 1)).toMatchObject({ id: bob.id, disabledAt: now + 1 });
      expect(await store.getSession('a'.repeat(64))).toBeNull();
      expect(await store.getSession('b'.repeat(64))).toBeNull();
      expect(await store.getSession('c'.repeat(64))).not.toBeNull();
      expect((await store.getUserByName('bob'))!.disabledAt).toBe(now + 1);
      // Disabling again keeps the first time, and still ends a session made in between.
      await session(bob.id, 'd');
      expect((await store.setUserDisabled(bob.id, now + 5))!.disabledAt).toBe(now + 1);
      expect(await store.getSession('d'.repeat(64))).toBeNull();
      expect((await store.listUsers()).map((u) => [u.username, u.disabledAt])).toEqual([
        ['admin', null],
        ['bob', now + 1],
      ]);

      // The only enabled administrator stays enabled, and keeps their session.
      await expect(store.setUserDisabled(admin.id, now)).rejects.toMatchObject({ field: 'disabled' });
      expect(await store.getSession('c'.repeat(64))).not.toBeNull();
      const root = await store.createUser('root', 'h', true, now);
      expect((await store.setUserDisabled(admin.id, now + 2))!.disabledAt).toBe(now + 2);
      await expect(store.setUserDisabled(root.id, now)).rejects.toBeInstanceOf(MetaConflictError);

      expect(await store.setUserDisabled(bob.id, null)).toMatchObject({ id: bob.id, disabledAt: null });
      expect((await store.getUser(bob.id))!.disabledAt).toBeNull();
      expect(await store.setUserDisabled(999_999, now)).toBeNull();
    });

    it('deletes a user with their sessions and memberships, but not a project’s only owner nor the last administrator', async () => {
      const admin = (await store.createFirstAdmin('admin', 'h', now))!;
      const kim = await store.createUser('kim', 'h', false, now);
      const mia = await store.createUser('mia', 'h', false, now);
      await project('abcdefgh', 'Shop', kim.id);
      await project('bcdefghi', 'Blog', kim.id);
      await project('cdefghij', 'Docs', kim.id);
      await store.setMember('abcdefgh', mia.id, 'owner');
      await store.setMember('bcdefghi', mia.id, 'viewer');
      await store.createSession({ tokenHash: 'k'.repeat(64), userId: kim.id, createdAt: now, expiresAt: now + 1000 });

      const refused = await store.deleteUser(kim.id).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(MetaConflictError);
      expect((refused as Error).message).toContain('"Blog", "Docs"');
      expect((refused as Error).message).not.toContain('Shop');
      expect(await store.getUser(kim.id)).not.toBeNull();
      expect(await store.getSession('k'.repeat(64))).not.toBeNull();

      await store.deleteProject('bcdefghi');
      await store.setMember('cdefghij', mia.id, 'owner');
      expect(await store.deleteUser(kim.id)).toBe(true);
      expect(await store.getUser(kim.id)).toBeNull();
      expect(await store.getSession('k'.repeat(64))).toBeNull();
      expect(await store.listMembers('abcdefgh')).toEqual([{ userId: mia.id, username: 'mia', role: 'owner' }]);
      expect(await store.listProjects(kim.id)).toEqual([]);
      expect(await store.deleteUser(kim.id)).toBe(false);
      // The name is free again; the new account inherits nothing.
      const again = await store.createUser('kim', 'h', false, now);
      expect(await store.listProjects(again.id)).toEqual([]);

      await expect(store.deleteUser(admin.id)).rejects.toBeInstanceOf(MetaConflictError);
      expect(await store.getUser(admin.id)).not.toBeNull();
    });

    it('stores licenses, finds them by lookup, revokes once and records the latest use', async () => {
      await project();
      const row = { pcode: 'abcdefgh', lookup: 'ABCDEFGH', secretHash: 'f'.repeat(64), label: 'ci', createdAt: now, createdBy: 'admin' };
      const lic = await store.createLicense(row);
      expect(lic).toEqual({ ...row, id: lic.id, lastUsedAt: null, revokedAt: null });
      await expect(store.createLicense(row)).rejects.toBeInstanceOf(MetaConflictError);
      const second = await store.createLicense({ ...row, lookup: 'BBBBBBBB', createdAt: now + 1 });
      expect((await store.listLicenses('abcdefgh')).map((l) => l.id)).toEqual([second.id, lic.id]);

      await store.touchLicense(lic.id, now + 100);
      await store.touchLicense(lic.id, now + 50);
      expect((await store.getLicenseByLookup('ABCDEFGH'))!.lastUsedAt).toBe(now + 100);

      expect((await store.revokeLicense('abcdefgh', lic.id, now + 200))!.revokedAt).toBe(now + 200);
      expect((await store.revokeLicense('abcdefgh', lic.id, now + 300))!.revokedAt).toBe(now + 200);
      expect(await store.revokeLicense('zzzzzzzz', second.id, now)).toBeNull();
      expect(await store.getLicenseByLookup('NOPENOPE')).toBeNull();
    });

    it('counts agents per project and deletes only the inactive, disconnected ones', async () => {
      await project();
      const old = await store.upsertAgent('abcdefgh', hello('old-agent'), now - 10_000);
      const live = await store.upsertAgent('abcdefgh', hello('live-agent'), now - 10_000);
      const recent = await store.upsertAgent('abcdefgh', hello('recent-agent'), now);
      await store.setAgentConnected(live.id, now - 10_000);
      expect(await store.countAgents('abcdefgh')).toBe(3);
      expect(await store.deleteInactiveAgents(now - 5000)).toBe(1);
      expect((await store.listAgents('abcdefgh')).map((x) => x.id).sort()).toEqual([live.id, recent.id].sort());
      expect(old.id).not.toBe(recent.id);
    });

    it('registers agents by project + object name, so a reconnect is the same agent', async () => {
      await project();
      await project('bcdefghi', 'Other');
      const first = await store.upsertAgent('abcdefgh', hello('shop-0-12-gunicorn'), now);
      expect(first).toMatchObject({ objectName: 'shop-0-12-gunicorn', firstSeen: now, lastSeen: now, connectedAt: null, pid: 4242 });
      const again = await store.upsertAgent('abcdefgh', hello('shop-0-12-gunicorn', { pid: 5555, agentVersion: '0.2.0' }), now + 1000);
      expect(again).toMatchObject({ id: first.id, pid: 5555, agentVersion: '0.2.0', firstSeen: now, lastSeen: now + 1000 });
      const elsewhere = await store.upsertAgent('bcdefghi', hello('shop-0-12-gunicorn'), now);
      expect(elsewhere.id).not.toBe(first.id);
      const second = await store.upsertAgent('abcdefgh', hello('shop-0-13-gunicorn'), now);

      await store.touchAgents([first.id, second.id], now + 5000);
      await store.touchAgents([first.id], now + 4000); // late report: last seen never goes back
      await store.touchAgents([], now + 9000);
      await store.setAgentConnected(first.id, now + 1000);
      expect((await store.listAgents('abcdefgh')).map((a) => [a.objectName, a.lastSeen, a.connectedAt])).toEqual([
        ['shop-0-12-gunicorn', now + 5000, now + 1000],
        ['shop-0-13-gunicorn', now + 5000, null],
      ]);
      await store.setAgentConnected(first.id, null);
      expect((await store.listAgents('abcdefgh'))[0]!.connectedAt).toBeNull();

      // The app processes' pids are stored with a touch, kept by a reconnect, replaced by the next list.
      expect((await store.listAgents('abcdefgh'))[0]!.appPids).toEqual([]);
      await store.touchAgents([], now + 5000, new Map([[first.id, [4110, 4111, 4112]]]));
      await store.upsertAgent('abcdefgh', hello('shop-0-12-gunicorn'), now + 6000);
      expect((await store.listAgents('abcdefgh')).map((a) => a.appPids)).toEqual([[4110, 4111, 4112], []]);
      await store.touchAgents([first.id], now + 6000, new Map([[first.id, [4112]]]));
      expect((await store.listAgents('abcdefgh'))[0]!.appPids).toEqual([4112]);

      // A late disconnect of an older connection leaves the newer one alone.
      await store.setAgentConnected(first.id, now + 7000);
      await store.clearAgentConnected(first.id, now + 1000);
      expect((await store.listAgents('abcdefgh'))[0]!.connectedAt).toBe(now + 7000);
      await store.clearAgentConnected(first.id, now + 7000);
      expect((await store.listAgents('abcdefgh'))[0]!.connectedAt).toBeNull();
    });

    it('keeps an audit log, newest first', async () => {
      for (let i = 0; i < 3; i++)
        await store.audit({ time: now + i, actor: 'admin', action: `a${i}`, target: 't', detail: `d${i}`, ip: '127.0.0.1' });
      expect(await store.listAudit(2)).toEqual([
        { time: now + 2, actor: 'admin', action: 'a2', target: 't', detail: 'd2', ip: '127.0.0.1' },
        { time: now + 1, actor: 'admin', action: 'a1', target: 't', detail: 'd1', ip: '127.0.0.1' },
      ]);
    });

    it('survives close and reopen with its data', async () => {
      const u = await store.createUser('keep', 'h', true, now);
      await store.close();
      await store.close(); // twice is fine
      store = await open();
      expect((await store.getUser(u.id))!.username).toBe('keep');
    });

    it.runIf(engine.shared)('gives two stores on one database (two collectors) one consistent picture', async () => {
      const other = await open();
      await project();
      expect((await other.getProject('abcdefgh'))!.name).toBe('Shop');
      // Both collectors greet the same agent at once: still one agent.
      const [a, b] = await Promise.all([
        store.upsertAgent('abcdefgh', hello('shop-1'), now),
        other.upsertAgent('abcdefgh', hello('shop-1'), now + 1),
      ]);
      expect(a.id).toBe(b.id);
      await Promise.all([store.touchAgents([a.id], now + 9000), other.touchAgents([a.id], now + 5000)]);
      expect((await store.listAgents('abcdefgh')).map((x) => x.lastSeen)).toEqual([now + 9000]);
      const created = await Promise.all([other.createFirstAdmin('x', 'h', now), store.createFirstAdmin('y', 'h', now)]);
      expect(created).toEqual([null, null]); // the project owner exists already
    });
  });
}
