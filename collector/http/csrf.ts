import type { FastifyRequest } from 'fastify';
import { CLIENT_HEADER, CLIENT_HEADER_VALUE, errorCodes } from '../../src/api/errors';
import { HttpError } from '../api-error';

/**
 * CSRF defence, together with SameSite=Strict cookies: every state-changing request must
 * carry a custom header, which a cross-site form cannot send and cross-site fetch cannot
 * send without a CORS preflight this server never grants.
 */
export function checkCsrf(request: FastifyRequest): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  if (request.headers[CLIENT_HEADER] === CLIENT_HEADER_VALUE) return;
  throw new HttpError(
    403,
    errorCodes.csrf,
    `This request needs the header "${CLIENT_HEADER}: ${CLIENT_HEADER_VALUE}" (sent by the Tapscope console).`,
  );
}
