import { errorCodes } from '../src/api/errors';

/**
 * An error a request handler throws for the API to answer with as is: `{"error": {code,
 * message, field?}}` (http/errors.ts sends it). Outside http/ because alerts/ throws it too.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const unauthenticated = (message = 'Sign in to continue.') =>
  new HttpError(401, errorCodes.unauthenticated, message);
export const forbidden = (message: string) => new HttpError(403, errorCodes.forbidden, message);
export const notFound = (message: string) => new HttpError(404, errorCodes.notFound, message);
export const conflict = (message: string, field?: string) => new HttpError(409, errorCodes.conflict, message, field);
export const invalid = (message: string, field: string) => new HttpError(400, errorCodes.validation, message, field);
