import type { FastifyInstance } from 'fastify';
import { createLicenseRequestSchema } from '../../../src/api/licenses';
import { routePatterns } from '../../../src/api/paths';
import { generateLicenseKey, licensePrefix } from '../../licenses/license-key';
import type { LicenseRow } from '../../store/meta-store';
import { MetaConflictError } from '../../store/meta-errors';
import type { ApiContext } from '../context';
import { notFound } from '../../api-error';
import { requireRole } from '../membership';
import { toApiLicense } from '../serialize';

/**
 * License keys. The full key exists only in the answer to POST: the store keeps the public
 * lookup id and a hash of the secret, and nothing here logs or audits more than the prefix.
 */
export function registerLicenseRoutes(api: FastifyInstance, ctx: ApiContext): void {
  api.get(routePatterns.licenses, async (request) => {
    const rows = await ctx.meta.listLicenses(request.tapscope.project.pcode);
    return { licenses: rows.map(toApiLicense) };
  });

  api.post(routePatterns.licenses, async (request, reply) => {
    requireRole(request, 'member', 'issue license keys');
    const { project, user } = request.tapscope;
    const body = createLicenseRequestSchema.parse(request.body ?? {});
    let key = '';
    let row: LicenseRow | undefined;
    // The 40-bit lookup id is unique in the store; retry the rare collision.
    for (let attempt = 0; !row; attempt++) {
      const issued = generateLicenseKey(project.pcode);
      try {
        row = await ctx.meta.createLicense({
          pcode: project.pcode,
          lookup: issued.lookup,
          secretHash: issued.secretHash,
          label: body.label,
          createdAt: ctx.now(),
          createdBy: user.username,
        });
        key = issued.key;
      } catch (err) {
        if (!(err instanceof MetaConflictError) || attempt >= 4) throw err;
      }
    }
    await ctx.audit(
      request,
      'license_issued',
      `license:${licensePrefix(row.pcode, row.lookup)}`,
      body.label ? `label "${body.label}"` : '',
    );
    return reply.code(201).send({ license: toApiLicense(row), key });
  });

  api.delete(routePatterns.license, async (request) => {
    requireRole(request, 'member', 'revoke license keys');
    const { project } = request.tapscope;
    const id = Number((request.params as { id: string }).id);
    const missing = () => notFound('No such license key in this project.');
    if (!Number.isSafeInteger(id) || id <= 0) throw missing();
    const row = await ctx.meta.revokeLicense(project.pcode, id, ctx.now());
    if (!row) throw missing();
    await ctx.audit(request, 'license_revoked', `license:${licensePrefix(row.pcode, row.lookup)}`);
    return { license: toApiLicense(row) };
  });
}
