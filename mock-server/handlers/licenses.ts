import { http, HttpResponse } from 'msw';
import { errorCodes } from '../../src/api/errors';
import { createLicenseRequestSchema, type CreatedLicense, type License } from '../../src/api/licenses';
import { routePatterns } from '../../src/api/paths';
import type { MockLicense } from '../data/core-seed';
import { generateMockLicenseKey } from '../data/license-keys';
import { apiError, db, nextId, nowIso, readJson, requireMember, validationError } from '../db';

function toLicense({ pcode: _pcode, ...l }: MockLicense): License {
  return l;
}

export const licensesHandlers = [
  http.get(routePatterns.licenses, ({ request, params }) => {
    const access = requireMember(request, params.pcode as string);
    if (access instanceof Response) return access;
    const licenses = db.licenses
      .filter((l) => l.pcode === access.project.pcode)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map(toLicense);
    return HttpResponse.json<{ licenses: License[] }>({ licenses });
  }),

  http.post(routePatterns.licenses, async ({ request, params }) => {
    const access = requireMember(request, params.pcode as string, 'member');
    if (access instanceof Response) return access;
    const parsed = createLicenseRequestSchema.safeParse((await readJson(request)) ?? {});
    if (!parsed.success) return validationError(parsed.error);
    const { key, prefix } = await generateMockLicenseKey(access.project.pcode);
    const license: MockLicense = {
      id: nextId(),
      pcode: access.project.pcode,
      prefix,
      label: parsed.data.label,
      createdAt: nowIso(),
      createdBy: access.user.username,
      lastUsedAt: null,
      revokedAt: null,
    };
    db.licenses.push(license);
    return HttpResponse.json<CreatedLicense>({ license: toLicense(license), key }, { status: 201 });
  }),

  http.delete(routePatterns.license, ({ request, params }) => {
    const access = requireMember(request, params.pcode as string, 'member');
    if (access instanceof Response) return access;
    const license = db.licenses.find((l) => l.pcode === access.project.pcode && String(l.id) === params.id);
    if (!license) return apiError(404, errorCodes.notFound, 'License key not found.');
    license.revokedAt ??= nowIso();
    return new HttpResponse(null, { status: 204 });
  }),
];
