import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { API } from '../../src/api/paths';
import { sendError } from './errors';

export const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";
const NOT_BUILT = 'Console not built: run npm run build\n';

/**
 * Serves the built console (`dist/`) with an SPA fallback: any GET outside /api that is not
 * a file gets index.html, so deep links like /projects/x/hitmap load the app. Unknown /api
 * paths answer JSON 404. Without a build, pages say how to make one.
 */
export async function registerConsole(app: FastifyInstance, dir: string): Promise<void> {
  const built = existsSync(join(dir, 'index.html'));
  const assets = join(dir, 'assets') + sep;
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: true,
      cacheControl: false, // set below, per file
      // Vite fingerprints everything under assets/; index.html must be revalidated to pick up a new build.
      setHeaders: (res, path) =>
        res.setHeader('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path === API || path.startsWith(`${API}/`) || path === '/api' || path.startsWith('/api/'))
      return sendError(reply, 404, 'not_found', `No such API endpoint: ${request.method} ${path}`);
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && extname(path) === '';
    if (!isPage) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    if (!built) return reply.code(200).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

/** Security headers: on every answer, plus the CSP and framing ban on HTML. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('content-security-policy', CSP);
    return payload;
  });
}
