import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ZodError, type ZodIssue } from 'zod';
import { errorCodes } from '../../src/api/errors';
import { HttpError } from '../api-error';
import { MetaConflictError } from '../store/meta-errors';

export function sendError(reply: FastifyReply, status: number, code: string, message: string, field?: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: field === undefined ? { code, message } : { code, message, field } });
}

/** zod's "Required" / "Expected object" say little to a user; name the field instead. */
function issueMessage(issue: ZodIssue, field: string): string {
  if (issue.code === 'invalid_type') {
    if (field === '') return 'The request body must be a JSON object.';
    if (issue.received === 'undefined') return `${field} is required.`;
    return `${field} must be a ${issue.expected}.`;
  }
  if (issue.code === 'unrecognized_keys') return `Unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
  return issue.message;
}

/** Maps every thrown error to the API's error body; only unexpected ones are logged (without the body). */
export function registerErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    if (err instanceof HttpError) return sendError(reply, err.statusCode, err.code, err.message, err.field);
    if (err instanceof ZodError) {
      const issue = err.issues[0]!;
      const field = issue.path.join('.');
      return sendError(reply, 400, errorCodes.validation, issueMessage(issue, field), field || undefined);
    }
    if (err instanceof MetaConflictError) return sendError(reply, 409, errorCodes.conflict, err.message, err.field);

    const status = (err as FastifyError).statusCode ?? 500;
    const code = (err as FastifyError).code;
    if (status === 413)
      return sendError(reply, 413, 'payload_too_large', `The request body is too large (at most ${bodyLimit / 1024} KiB).`);
    if (status === 415)
      return sendError(reply, 415, 'unsupported_media_type', 'Send the request body as JSON (content-type: application/json).');
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return sendError(reply, 400, errorCodes.badRequest, 'The request body is empty; send a JSON object.');
    if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)
      return sendError(reply, 400, errorCodes.badRequest, 'The request body is not valid JSON.');
    if (status >= 400 && status < 500) return sendError(reply, status, errorCodes.badRequest, err.message);

    request.log.error({ err }, 'request failed');
    return sendError(reply, 500, errorCodes.internal, 'Something went wrong on the server. The collector log has the details.');
  });
}
