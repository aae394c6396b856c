import { http, HttpResponse } from 'msw';
import { errorCodes } from '../../src/api/errors';
import { apiPaths, routePatterns } from '../../src/api/paths';
import {
  addMemberRequestSchema,
  createProjectRequestSchema,
  updateMemberRequestSchema,
  updateProjectRequestSchema,
  type Member,
  type Project,
  type ProjectRole,
} from '../../src/api/projects';
import type { MockProject } from '../data/core-seed';
import { randomPcode } from '../data/license-keys';
import { apiError, db, nowIso, readJson, requireMember, requireUser, validationError } from '../db';

function toProject(p: MockProject, role: ProjectRole): Project {
  return { ...p, role };
}

function members(pcode: string): Member[] {
  return db.members
    .filter((m) => m.pcode === pcode)
    .map((m) => ({ userId: m.userId, username: db.users.find((u) => u.id === m.userId)?.username ?? '?', role: m.role }))
    .sort((a, b) => a.username.localeCompare(b.username));
}

function nameTaken(name: string, except?: string): boolean {
  const n = name.trim().toLowerCase();
  return db.projects.some((p) => p.pcode !== except && p.name.trim().toLowerCase() === n);
}

export const projectsHandlers = [
  http.get(apiPaths.projects, ({ request }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    const projects = db.members
      .filter((m) => m.userId === user.id)
      .flatMap((m) => {
        const p = db.projects.find((x) => x.pcode === m.pcode);
        return p ? [toProject(p, m.role)] : [];
      });
    return HttpResponse.json<{ projects: Project[] }>({ projects });
  }),

  http.post(apiPaths.projects, async ({ request }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    const parsed = createProjectRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return validationError(parsed.error);
    const input = parsed.data;
    if (!db.regions.some((r) => r.id === input.region)) {
      return apiError(400, errorCodes.validation, 'Choose one of the configured regions.', 'region');
    }
    if (nameTaken(input.name)) {
      return apiError(409, errorCodes.conflict, 'A project with this name already exists.', 'name');
    }
    let pcode = randomPcode();
    while (db.projects.some((p) => p.pcode === pcode)) pcode = randomPcode();
    const project: MockProject = { pcode, name: input.name, region: input.region, group: input.group, timezone: input.timezone, createdAt: nowIso() };
    db.projects.push(project);
    db.members.push({ pcode, userId: user.id, role: 'owner' });
    return HttpResponse.json<{ project: Project }>({ project: toProject(project, 'owner') }, { status: 201 });
  }),

  http.get(routePatterns.project, ({ request, params }) => {
    const access = requireMember(request, params.pcode as string);
    if (access instanceof Response) return access;
    return HttpResponse.json<{ project: Project }>({ project: toProject(access.project, access.role) });
  }),

  http.patch(routePatterns.project, async ({ request, params }) => {
    const access = requireMember(request, params.pcode as string, 'owner');
    if (access instanceof Response) return access;
    const parsed = updateProjectRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return validationError(parsed.error);
    const patch = parsed.data;
    if (patch.name !== undefined && nameTaken(patch.name, access.project.pcode)) {
      return apiError(409, errorCodes.conflict, 'A project with this name already exists.', 'name');
    }
    Object.assign(access.project, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    return HttpResponse.json<{ project: Project }>({ project: toProject(access.project, access.role) });
  }),

  http.delete(routePatterns.project, ({ request, params }) => {
    const access = requireMember(request, params.pcode as string, 'owner');
    if (access instanceof Response) return access;
    const pcode = access.project.pcode;
    db.projects = db.projects.filter((p) => p.pcode !== pcode);
    db.members = db.members.filter((m) => m.pcode !== pcode);
    db.licenses = db.licenses.filter((l) => l.pcode !== pcode);
    return new HttpResponse(null, { status: 204 });
  }),

  http.get(routePatterns.members, ({ request, params }) => {
    const access = requireMember(request, params.pcode as string);
    if (access instanceof Response) return access;
    return HttpResponse.json<{ members: Member[] }>({ members: members(access.project.pcode) });
  }),

  http.post(routePatterns.members, async ({ request, params }) => {
    const access = requireMember(request, params.pcode as string, 'owner');
    if (access instanceof Response) return access;
    const parsed = addMemberRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return validationError(parsed.error);
    const user = db.users.find((u) => u.username === parsed.data.username);
    if (!user) return apiError(404, errorCodes.notFound, `There is no user named “${parsed.data.username}”.`, 'username');
    const pcode = access.project.pcode;
    const existing = db.members.find((m) => m.pcode === pcode && m.userId === user.id);
    if (existing) existing.role = parsed.data.role;
    else db.members.push({ pcode, userId: user.id, role: parsed.data.role });
    return HttpResponse.json<{ members: Member[] }>({ members: members(pcode) }, { status: existing ? 200 : 201 });
  }),

  http.patch(routePatterns.member, async ({ request, params }) => {
    const access = requireMember(request, params.pcode as string, 'owner');
    if (access instanceof Response) return access;
    const parsed = updateMemberRequestSchema.safeParse(await readJson(request));
    if (!parsed.success) return validationError(parsed.error);
    const pcode = access.project.pcode;
    const target = db.members.find((m) => m.pcode === pcode && m.userId === Number(params.userId));
    if (!target) return apiError(404, errorCodes.notFound, 'That user is not a member of this project.');
    if (target.role === 'owner' && parsed.data.role !== 'owner' && db.members.filter((m) => m.pcode === pcode && m.role === 'owner').length === 1)
      return apiError(409, errorCodes.conflict, 'A project needs at least one owner. Make someone else an owner first.', 'role');
    target.role = parsed.data.role;
    return HttpResponse.json<{ member: Member }>({ member: members(pcode).find((m) => m.userId === target.userId)! });
  }),

  http.delete(routePatterns.member, ({ request, params }) => {
    const access = requireMember(request, params.pcode as string, 'owner');
    if (access instanceof Response) return access;
    const pcode = access.project.pcode;
    const userId = Number(params.userId);
    const target = db.members.find((m) => m.pcode === pcode && m.userId === userId);
    if (!target) return apiError(404, errorCodes.notFound, 'That user is not a member of this project.');
    if (target.role === 'owner' && db.members.filter((m) => m.pcode === pcode && m.role === 'owner').length === 1)
      return apiError(409, errorCodes.conflict, 'A project needs at least one owner. Make someone else an owner first.', 'role');
    db.members = db.members.filter((m) => m !== target);
    return new HttpResponse(null, { status: 204 });
  }),
];
